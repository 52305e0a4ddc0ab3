#pragma once
// The small test model (tests/synthesis/data/small.toml) that several synthesis tests share.

#include "recount/synthesis/model.hpp"

namespace recount::synthesis {

inline Model small_model() {
  return read_model(RECOUNT_SOURCE_DIR "/tests/synthesis/data/small.toml");
}

}  // namespace recount::synthesis
