// The bulk rules of `qualiclip cull`: --best-of-bursts, --reject-below SCORE, --pick-top PERCENT.
// The images are scored first where the catalog has no score (BurstSupport.h), grouped for
// --best-of-bursts, planned with core's library/CullRules.h, the counts printed, and (unless
// --dry-run) the decisions committed in one catalog transaction.
#pragma once

#include <QCommandLineParser>

#include <optional>
#include <string>
#include <vector>

#include "library/Catalog.h"
#include "library/XmpSidecar.h"

namespace qc::cli {

void addCullRuleOptions(QCommandLineParser& parser);
bool cullRuleRequested(const QCommandLineParser& parser);
// Runs the requested rules on the images of inputs; returns the exit status.
int runCullRules(const QCommandLineParser& parser, const std::vector<std::string>& inputs,
                 std::optional<SidecarNaming> xmp);

// After a decision is stored: writes it to the image's sidecar when asked (a reject as rating -1),
// then prints it as `qualiclip cull` does (a JSON line: path, flag, stars, label, note).
void acknowledgeDecision(const std::string& path, const CatalogDecision& d,
                         std::optional<SidecarNaming> xmp);

}  // namespace qc::cli
