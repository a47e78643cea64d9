// Umbrella header: the whole indicator library (conventions, catalog and
// every indicator's batch and streaming forms).
#pragma once

#include "vyx/indicators/catalog.hpp"
#include "vyx/indicators/core.hpp"

// ---- ind1 indicators ----
#include "vyx/indicators/sma.hpp"
// ---- end ind1 indicators ----

// ---- ind2 indicators ----
// ---- end ind2 indicators ----
