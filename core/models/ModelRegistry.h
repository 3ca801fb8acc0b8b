// ModelRegistry: the models the app knows how to download (models/registry.json in the source
// tree, compiled into qualiclip_core so an installed binary needs no data file next to it):
// id, display name, file name, URL, size and SHA-256 when known, licence and citation.
//
// modelRegistry() parses the built-in copy once; parseModelRegistry() reads any JSON text of the
// same format (tests, mirrors). Pure functions, safe on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qc {

// A file a model needs besides its weights, fetched and verified with it by the same downloader:
// CLIP's BPE vocabulary (role "vocabulary"), without which custom prompts are off.
struct RegistryFile {
    std::string role;      // "vocabulary"
    std::string fileName;  // plain name in defaultModelsFolder()
    std::string url;
    std::optional<int64_t> size;
    std::string sha256;  // required: these files are small, fixed and checked
    std::string licence;
};

struct RegistryEntry {
    std::string id;        // "qualiclip"
    std::string name;      // shown to people
    std::string fileName;  // in defaultModelsFolder(); a plain name ending in .pth
    std::string url;       // http(s)
    std::optional<int64_t> size;  // bytes; unknown for the authors' release
    std::string sha256;           // lowercase hex; empty when unknown
    std::string licence;
    std::string citation;
    std::vector<RegistryFile> files;  // companion files ("files" in the JSON; may be absent)
    // Set for a QualiCLIP+ prompt-learner file (engine/PromptLearner.h): the id of the entry whose
    // weights it scores with. Such a model scores by pyiqa's recipe; its file is no checkpoint of
    // its own.
    std::string base;

    bool isPromptLearner() const { return !base.empty(); }

    std::optional<RegistryFile> file(const std::string& role) const;
};

// Throws QualiClipError naming the entry and field that is missing or malformed.
std::vector<RegistryEntry> parseModelRegistry(const std::string& json);

// The built-in registry (models/registry.json at build time). The first entry is the default.
const std::vector<RegistryEntry>& modelRegistry();

std::optional<RegistryEntry> findRegistryEntry(const std::string& id);
std::optional<RegistryEntry> findRegistryEntryByFile(const std::string& fileName);

}  // namespace qc
