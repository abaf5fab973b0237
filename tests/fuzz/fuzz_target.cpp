// One libFuzzer target: AXISIM_FUZZ_CALL is the call of fuzz_inputs.hpp it fuzzes (CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  axisim_fuzz::quiet();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, std::size_t size) {
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  AXISIM_FUZZ_CALL;
  return 0;
}
