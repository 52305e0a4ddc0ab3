#pragma once
// Core: errors, checks, CSV, dates, text, hashes, progress and tables.
#include "recount/core/check.hpp"
#include "recount/core/csv.hpp"
#include "recount/core/date.hpp"
#include "recount/core/error.hpp"
#include "recount/core/hash.hpp"
#include "recount/core/progress.hpp"
#include "recount/core/table.hpp"
#include "recount/core/text.hpp"
