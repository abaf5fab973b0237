#include "subprocess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace suite {

namespace {

// posix_spawn_file_actions_t with cleanup, so that every return path destroys it.
class FileActions {
public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

private:
  posix_spawn_file_actions_t actions_;
};

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& stdout_file,
                          const std::filesystem::path& stderr_file, std::chrono::duration<double> timeout) {
  using Clock = std::chrono::steady_clock;
  ProcessResult result;

  FileActions actions;
  // The child opens the files itself: nothing to close in the parent, and no descriptor of
  // one run can leak into a child spawned concurrently by another thread.
  const std::string out_path = stdout_file.string(), err_path = stderr_file.string();
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  const Clock::time_point start = Clock::now();
  pid_t pid = 0;
  if (const int error = posix_spawn(&pid, args[0], actions.get(), nullptr, args.data(), environ); error != 0) {
    result.spawn_error = std::string("cannot run ") + argv[0] + ": " + std::strerror(error);
    return result;
  }

  // Poll rather than block in waitpid, so the timeout needs no signals or extra threads.
  // The interval starts small because most runs take only milliseconds.
  const Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(timeout);
  auto interval = std::chrono::microseconds(500);
  int status = 0;
  while (true) {
    const pid_t waited = waitpid(pid, &status, WNOHANG);
    if (waited == pid) break;
    if (waited == -1 && errno != EINTR) {
      result.spawn_error = std::string("waitpid failed: ") + std::strerror(errno);
      return result;
    }
    if (Clock::now() >= deadline) {
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) == -1 && errno == EINTR) {
      }
      result.status = ProcessResult::Status::timed_out;
      result.elapsed = Clock::now() - start;
      return result;
    }
    std::this_thread::sleep_for(interval);
    interval = std::min(interval * 2, std::chrono::microseconds(20000));
  }

  result.elapsed = Clock::now() - start;
  if (WIFEXITED(status)) {
    result.status = ProcessResult::Status::exited;
    result.code = WEXITSTATUS(status);
  } else {
    result.status = ProcessResult::Status::signaled;
    result.code = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  return result;
}

}  // namespace suite
