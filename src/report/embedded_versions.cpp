#include "recount/report/embedded.hpp"

namespace recount::report {

// RECOUNT_WEB_VERSIONS is read from web/node_modules at configure time (cmake/embed.cmake).
std::string_view web_library_versions() noexcept {
  return RECOUNT_WEB_VERSIONS;
}

}  // namespace recount::report
