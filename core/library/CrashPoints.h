// Crash points: deterministic places for the kill tests (tests/cli/CatalogCrashTest.cpp) to stop
// a real process as a power cut or `kill -9` would. With QUALICLIP_CRASH_AT=<point>:<n> in the
// environment, the n-th time the process reaches <point> it sends itself SIGKILL. Without the
// variable (always, outside those tests) a crash point costs one getenv, at its first call.
//
// The catalog's points, for a score and for a decision: "score-commit" / "decision-commit" (the
// write transaction is open, COMMIT not yet run) and "score-committed" / "decision-committed"
// (COMMIT returned, the caller has not yet acknowledged anything).
#pragma once

namespace qc {

void crashPoint(const char* point);

}  // namespace qc
