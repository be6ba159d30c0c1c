#pragma once

namespace postured {

// 0.1.0+git61.gabc1234 (cmake/version.cmake), in a file of its own: a new commit rebuilds only it.
extern const char version[];

}  // namespace postured
