#include "about/VersionReport.h"

#include <sqlite3.h>
#include <QtGlobal>
#include <exiv2/version.hpp>
#include <opencv2/core/utility.hpp>

#include <fstream>
#include <sstream>
#include <vector>

#include "engine/Checkpoint.h"
#include "engine/ComputeDevice.h"
#include "engine/TorchRuntimeInfo.h"
#include "models/ModelLocator.h"

namespace qc {
namespace {

// The SIMD extensions that decide how fast LibTorch, oneDNN and OpenBLAS run, as /proc/cpuinfo
// names them; the report lists those this CPU has.
const char* const kRelevantCpuFlags[] = {
    "sse4_2",   "avx",         "avx2",        "fma",      "f16c",  "avx512f", "avx512bw",
    "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "asimd", "sve"};

struct CpuDescription {
    std::string model;
    std::string flags;
};

CpuDescription describeCpu() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    CpuDescription cpu;
    std::string allFlags;
    for (std::string line; std::getline(cpuinfo, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string key = line.substr(0, line.find_first_of(" \t"));
        const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
        if (key == "model" && line.rfind("model name", 0) == 0 && cpu.model.empty())
            cpu.model = value;
        if ((key == "flags" || key == "Features") && allFlags.empty()) allFlags = " " + value + " ";
    }
    for (const char* flag : kRelevantCpuFlags)
        if (allFlags.find(" " + std::string(flag) + " ") != std::string::npos)
            cpu.flags += (cpu.flags.empty() ? "" : " ") + std::string(flag);
    if (cpu.model.empty()) cpu.model = "unknown";
    if (cpu.flags.empty()) cpu.flags = "none of the SIMD sets the kernels use";
    return cpu;
}

void line(std::ostringstream& out, const char* name, const std::string& value) {
    out << name << ": " << value << "\n";
}

std::string modelLine(const ActiveModel& model) {
    if (model.path.empty())
        return "none found" + (model.note.empty() ? "" : " (" + model.note + ")");
    if (model.sha256.empty()) return model.path + " (" + model.note + ")";
    return model.path + ", sha256 " + model.sha256;
}

}  // namespace

std::string projectVersion(const std::string& gitDescribe) {
    return gitDescribe.empty() ? std::string(QCI_VERSION)
                               : std::string(QCI_VERSION) + " (git " + gitDescribe + ")";
}

ActiveModel describeActiveModel(const std::string& explicitPath) {
    const ModelLocation location = locateModel(explicitPath);
    ActiveModel model;
    if (!location.path) {
        model.note = "looked at " + std::to_string(location.candidates.size()) + " places";
        return model;
    }
    model.path = *location.path;
    try {
        model.sha256 = sha256OfFile(model.path);
    } catch (const std::exception& e) {
        model.note = e.what();
    }
    return model;
}

std::string versionReport(const std::string& program, const std::string& version,
                          const ActiveModel& model) {
    const TorchRuntimeInfo torch = torchRuntimeInfo();
    const CpuDescription cpu = describeCpu();
    std::ostringstream out;
    out << program << " " << (version.empty() ? projectVersion() : version) << "\n";
    line(out, "LibTorch", torch.libtorchVersion);
    line(out, "oneDNN", torch.onednnVersion.empty() ? "not built in" : torch.onednnVersion);
    line(out, "BLAS",
         torch.blasLibrary + (torch.blasConfig.empty() ? "" : " (" + torch.blasConfig + ")"));
    line(out, "OpenCV", cv::getVersionString());
    line(out, "Qt", std::string(qVersion()) + " (built with " QT_VERSION_STR ")");
    line(out, "Exiv2", Exiv2::versionString());
    line(out, "SQLite", sqlite3_libversion());
    line(out, "CPU", cpu.model);
    line(out, "CPU instruction sets", cpu.flags);
    line(out, "ATen kernels", torch.atenCapability);
    line(out, "Threads",
         "compute pool " + std::to_string(torch.threads) + ", " + std::to_string(torch.cores) +
             " cores");
    line(out, "Device", deviceSummary(resolveDevice("auto")) + ", what --device auto takes");
    line(out, "Model", modelLine(model));
    return out.str();
}

}  // namespace qc
