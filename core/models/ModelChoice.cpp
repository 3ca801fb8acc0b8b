#include "models/ModelChoice.h"

#include <filesystem>

#include "Errors.h"
#include "engine/PromptLearner.h"
#include "models/ModelRegistry.h"

namespace qc {
namespace {

namespace fs = std::filesystem;

bool isFile(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

std::string notInstalled(const RegistryEntry& entry, const std::string& path) {
    return "model '" + entry.id + "' is not installed: " + path +
           " is missing; get it with `qualiclip models download " + entry.id +
           "` (or File > Models... in the window)";
}

}  // namespace

std::optional<ModelChoice> chooseModel(const std::string& value, std::string& problem,
                                       const std::string& folder) {
    if (isFile(value)) {
        // A QualiCLIP+ file (the Models dialog's rows are files) scores with its base beside it.
        const fs::path path(value);
        const std::optional<RegistryEntry> entry =
            findRegistryEntryByFile(path.filename().string());
        if (entry && entry->isPromptLearner()) {
            std::optional<ModelChoice> choice =
                chooseModel(entry->id, problem, path.parent_path().string());
            if (choice) choice->promptLearnerPath = value;
            return choice;
        }
    }
    if (value.empty() || isFile(value)) {
        const ModelLocation location = locateModel(value);
        if (!location.path) {
            problem = missingModelMessage(location);
            return std::nullopt;
        }
        return ModelChoice{*location.path, {}, {}};
    }
    const std::optional<RegistryEntry> entry = findRegistryEntry(value);
    if (!entry) {
        // locateModel says what is wrong with the path: missing, or a folder.
        problem = locateModel(value).refusal +
                  ", and no model in the registry has that id (see `qualiclip models list`)";
        return std::nullopt;
    }
    ModelChoice choice;
    choice.id = entry->id;
    const std::string file = (fs::path(folder) / entry->fileName).string();
    if (!isFile(file)) {
        problem = notInstalled(*entry, file);
        return std::nullopt;
    }
    if (!entry->isPromptLearner()) {
        choice.weightsPath = file;
        return choice;
    }
    choice.promptLearnerPath = file;
    const std::optional<RegistryEntry> base = findRegistryEntry(entry->base);
    const std::string weights = base ? (fs::path(folder) / base->fileName).string() : std::string();
    if (!base || !isFile(weights)) {
        problem = "model '" + entry->id + "' scores with the weights of '" + entry->base +
                  "', which are not installed (" + weights + "); `qualiclip models download " +
                  entry->id + "` fetches them";
        return std::nullopt;
    }
    choice.weightsPath = weights;
    return choice;
}

std::shared_ptr<const QualiClipModel> loadChosenModel(const ModelChoice& choice,
                                                      const ModelOptions& options,
                                                      std::optional<ScoringRecipe> recipe,
                                                      const std::string& vocabularyPath) {
    if (choice.isQualiClipPlus() && recipe == ScoringRecipe::Official)
        throw QualiClipError("QualiCLIP+ (" +
                             (choice.id.empty() ? choice.promptLearnerPath : choice.id) +
                             ") scores only by pyiqa's recipe: its prompts were learned with it");
    std::shared_ptr<const QualiClipModel> model = QualiClipModel::load(choice.weightsPath, options);
    if (choice.isQualiClipPlus()) {
        const ModelLocation vocabulary = locateVocabulary(vocabularyPath);
        if (!vocabulary.path)
            throw PromptError("QualiCLIP+ tokenises its prompts: " +
                              missingVocabularyMessage(vocabulary));
        return modelWithLearnedPrompts(model, PromptLearner::load(choice.promptLearnerPath),
                                       *vocabulary.path);
    }
    if (recipe && *recipe != ScoringRecipe::Official) model = model->withRecipe(*recipe);
    return model;
}

}  // namespace qc
