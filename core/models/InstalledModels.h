// InstalledModels: the model files in a models folder (defaultModelsFolder()) and what we know
// about each: the registry entry with its file name, and the record of its download in
// `installed.json` next to them (SHA-256 seen at the first download and at the latest one, size,
// URL, time). The record is what lets a later download of the same model warn when the file
// changed, since the authors publish no hash.
//
// Plain functions over the file system; call them from one thread at a time per folder.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/ModelRegistry.h"

namespace qc {

inline constexpr const char* kInstalledRecordFile = "installed.json";

struct InstalledRecord {
    std::string fileName;
    std::string id;           // registry id, or "" for a --url download of an unknown file
    std::string sha256;       // of the latest download
    std::string firstSha256;  // of the first download
    int64_t size = 0;
    std::string url;
    std::string installedAt;  // ISO 8601, UTC
};

struct InstalledModel {
    std::string path;
    std::string fileName;
    int64_t size = 0;
    std::optional<InstalledRecord> record;  // absent for files put there by hand
    std::optional<RegistryEntry> entry;     // absent for files the registry does not name
};

// Missing or unreadable installed.json gives no records (never throws).
std::vector<InstalledRecord> readInstalledRecords(const std::string& folder);

// Adds or updates the record of `record.fileName`. Returns a warning (empty when none) when the
// first download of this file had a different SHA-256. Throws QualiClipError if the record
// cannot be written.
std::string recordInstalledModel(const std::string& folder, InstalledRecord record);

// True when the file is not what its record describes any more: another size, or written after
// the record was made (a copy over it, an edit). Its recorded SHA-256 is then stale.
bool changedSinceRecorded(const InstalledModel& model);

// The record of the model file at `path` in its own folder's installed.json, if any.
std::optional<InstalledRecord> installedRecordOf(const std::string& path);

// Every *.pth in the folder (never *.part), sorted by file name.
std::vector<InstalledModel> listInstalledModels(const std::string& folder);

// Deletes the file and its record. Returns an empty string, or what went wrong.
std::string removeInstalledModel(const std::string& folder, const std::string& fileName);

std::string formatBytes(int64_t bytes);  // "14.4 MB"

}  // namespace qc
