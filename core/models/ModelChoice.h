// ModelChoice: the model a person names, wherever one is chosen (`--model VALUE` on the command
// line, the window's Models dialog and research runs): a checkpoint file, or a registry id whose
// files are in the models folder. A QualiCLIP+ id ("qualiclip+-koniq") names two files: its
// prompt-learner file and the base QualiCLIP weights it scores with.
//
// loadChosenModel() gives the scoring model: the weights, for QualiCLIP+ the learned prompts
// (engine/PromptLearner.h, features computed once here), and the scoring recipe
// (engine/ScoringRecipe.h). Plain functions; loading takes seconds, so call it off the GUI thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/QualiClipModel.h"
#include "models/ModelLocator.h"

namespace qc {

struct ModelChoice {
    std::string weightsPath;
    std::string promptLearnerPath;  // QualiCLIP+ only
    std::string id;                 // the registry id when chosen by one, else ""

    bool isQualiClipPlus() const { return !promptLearnerPath.empty(); }
};

// value "": the default model (locateModel). An existing file: that file (a QualiCLIP+ file named
// as in the registry, with its base weights from the same folder). Otherwise a registry id, looked
// up in folder. nullopt with problem saying what is missing and how to get it.
std::optional<ModelChoice> chooseModel(const std::string& value, std::string& problem,
                                       const std::string& folder = defaultModelsFolder());

// recipe nullopt: official for QualiCLIP, pyiqa for QualiCLIP+ (the only recipe it has; asking
// for official is an error). vocabularyPath as for --vocab (QualiCLIP+ tokenises its prompts).
// Throws QualiClipError (CheckpointError, PromptError) naming the file and the problem.
std::shared_ptr<const QualiClipModel> loadChosenModel(const ModelChoice& choice,
                                                      const ModelOptions& options,
                                                      std::optional<ScoringRecipe> recipe,
                                                      const std::string& vocabularyPath = {});

}  // namespace qc
