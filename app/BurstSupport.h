// What `qualiclip group` and `qualiclip cull --best-of-bursts / --reject-below` share: the
// options that choose the model, policy, catalog and burst settings, and scoring a shoot through
// the catalog (only what it does not hold yet) before grouping it with core's groupShoot.
#pragma once

#include <QCommandLineParser>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/ScoringEngine.h"
#include "library/ShootBursts.h"

namespace qc {
class Catalog;
}

namespace qc::cli {

struct ShootArguments {
    std::string modelPath;
    ModelOptions modelOptions;
    ScoringOptions scoring;  // resize policy; default long:1024/fast, the window's
    BurstSettings bursts;
    bool recursive = false;
};

// --model, --resize, --gap, --similarity and the device options. withCatalogAndRecursive:
// also --catalog and --recursive (cull has its own).
void addShootOptions(QCommandLineParser& parser, bool withCatalogAndRecursive);
// Fills args; returns the problem in one sentence, or "".
std::string parseShootOptions(const QCommandLineParser& parser, ShootArguments& args);
std::string catalogPathOption(const QCommandLineParser& parser);

struct ScoredShoot {
    std::vector<ImageResult> results;  // one per image, in the collected order
    std::vector<PromptPair> pairs;     // the model's
    size_t failed = 0;                 // images that could not be scored (reported on stderr)
};

// Loads the model and scores the images through the catalog (cached scores are not computed
// again; new ones are stored). command names the program in messages. nullopt: the model could
// not be loaded (reported), or the run was interrupted (interrupted set).
std::optional<ScoredShoot> scoreShoot(const std::string& command, const ShootArguments& args,
                                      Catalog& catalog, const std::vector<std::string>& images,
                                      bool& interrupted);

}  // namespace qc::cli
