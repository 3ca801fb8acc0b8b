// Error types of the engine. Every message names the file (or key) and the problem in words a
// user understands; callers at a batch boundary turn them into per-image error values.
#pragma once

#include <stdexcept>
#include <string>

namespace qc {

class QualiClipError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The model file cannot be used: not a checkpoint, damaged, unsafe, or of the wrong shape.
class CheckpointError : public QualiClipError {
public:
    using QualiClipError::QualiClipError;
};

// An image cannot be decoded or is not admissible (too large, too small, truncated, fake).
class ImageError : public QualiClipError {
public:
    using QualiClipError::QualiClipError;
};

// A custom prompt or prompt set cannot be used: vocabulary missing or damaged, a prompt longer
// than the text encoder's context, a malformed .prompts line.
class PromptError : public QualiClipError {
public:
    using QualiClipError::QualiClipError;
};

// Work was stopped on request; never shown as an error to the user.
class Cancelled : public QualiClipError {
public:
    Cancelled() : QualiClipError("cancelled") {}
};

}  // namespace qc
