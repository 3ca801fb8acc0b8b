// The SHA-256 of a model file, remembered per (path, size, modification time) so that loading
// the model does not hash 400 MB on every start of the program. The hash goes into every result
// row (`model_sha256`), so it is still the file's: a file that changes gets a new size or time
// and is hashed again, and each record's CRC-32 is checked on every load regardless. Commands
// asked to check a file (`qualiclip models verify`) hash it in full and refresh the entry.
//
// The cache is one small text file, `$XDG_CACHE_HOME/qualiclip/sha256.tsv` (default
// `~/.cache/qualiclip/`), written atomically; if it cannot be read or written the file is simply
// hashed. Any thread may call these functions; concurrent writers may lose an entry, never
// corrupt the file.
#pragma once

#include <string>

namespace qc {

// The remembered SHA-256 of `path` when its size and modification time are unchanged, else the
// file is hashed (sha256OfFile) and remembered. Throws QualiClipError if it cannot be read.
std::string cachedSha256OfFile(const std::string& path);

// Records a hash just computed in full (e.g. by `models verify`).
void rememberSha256(const std::string& path, const std::string& sha256);

// Where the cache lives (for tests and `--help` text).
std::string sha256CachePath();

}  // namespace qc
