// Writing a file so that readers never see it half-written.
#pragma once

#include <filesystem>
#include <string_view>

namespace suite {

// Writes content to a temporary file next to target, then renames it over target.
// Throws std::runtime_error on failure.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

}  // namespace suite
