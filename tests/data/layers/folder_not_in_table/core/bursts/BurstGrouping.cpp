// Fixture: a folder that cmake/Layers.cmake does not list.
#include "engine/ScoringEngine.h"
