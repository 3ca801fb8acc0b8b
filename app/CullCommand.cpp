#include "CommandSupport.h"
#include "CullCommand.h"
#include "CullRules.h"

#include <QCommandLineParser>

#include <algorithm>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "library/Catalog.h"
#include "library/ImageCollector.h"
#include "library/XmpSidecar.h"

namespace qc::cli {
namespace {

int usageError(const std::string& message) { return qc::cli::usageError("cull", message); }

void addOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        "Sets culling decisions in the catalog, one image at a time, each committed before its row "
        "(path, flag, stars, label, note as JSON) is printed. Without a change it prints the decisions.");
    parser.addHelpOption();
    parser.addOptions({
        {"catalog", "Catalog (default: $XDG_DATA_HOME/qualiclip/catalog.sqlite).", "PATH"},
        {"pick", "Flag as a pick."},
        {"reject", "Flag as a reject."},
        {"unflag", "Remove the flag."},
        {"stars", "Stars, 0 to 5.", "N"},
        {"label", "Colour label (Red, Yellow, Green, Blue, Purple; empty removes it).", "NAME"},
        {"note", "Note.", "TEXT"},
        {"xmp", "Also write the decision to XMP sidecars: lightroom (IMG_1.xmp) or darktable (IMG_1.CR2.xmp).",
         "NAMING"},
        {"import-xmp", "Read ratings and labels from existing sidecars (lightroom or darktable naming) into "
                       "the catalog first.", "NAMING"},
        {"recursive", "Descend into sub-folders of folders."},
    });
    addCullRuleOptions(parser);  // --best-of-bursts, --reject-below, --pick-top (CullRules.h)
    parser.addPositionalArgument("PATH", "Images or folders.", "PATH...");
}

}  // namespace

int runCullCommand(const QStringList& arguments) {
    QCommandLineParser parser;
    addOptions(parser);
    if (const auto stop = parseCommandLine(parser, arguments, "cull")) return *stop;
    const int flags = int(parser.isSet("pick")) + int(parser.isSet("reject")) + int(parser.isSet("unflag"));
    if (flags > 1) return usageError("--pick, --reject and --unflag exclude each other");
    std::optional<int> stars;
    if (parser.isSet("stars")) {
        bool ok = false;
        stars = parser.value("stars").toInt(&ok);
        if (!ok || *stars < 0 || *stars > 5) return usageError("invalid --stars (0 to 5)");
    }
    std::optional<SidecarNaming> xmp, importXmp;
    if (parser.isSet("xmp") && !(xmp = parseSidecarNaming(parser.value("xmp").toStdString())))
        return usageError("invalid --xmp (lightroom or darktable)");
    if (parser.isSet("import-xmp") && !(importXmp = parseSidecarNaming(parser.value("import-xmp").toStdString())))
        return usageError("invalid --import-xmp (lightroom or darktable)");
    std::vector<std::string> inputs;
    for (const QString& p : parser.positionalArguments()) inputs.push_back(p.toStdString());
    if (inputs.empty()) return usageError("no images or folders given");
    if (cullRuleRequested(parser)) return runCullRules(parser, inputs, xmp);

    std::unique_ptr<Catalog> catalog;
    try {
        catalog = std::make_unique<Catalog>(parser.isSet("catalog") ? parser.value("catalog").toStdString()
                                                                     : Catalog::defaultPath());
    } catch (const std::exception& e) {
        std::cerr << "qualiclip cull: " << e.what() << "\n";
        return kExitUsage;
    }

    const CollectedImages collected = collectImages(inputs, parser.isSet("recursive"));
    size_t failed = collected.problems.size();
    for (const CollectionProblem& p : collected.problems)
        std::cerr << "qualiclip cull: '" << p.path << "': " << p.reason << "\n";
    for (const std::string& path : collected.images) {
        try {
            const int64_t id = catalog->resolve(path).id;
            CatalogDecision d = catalog->decision(id);
            if (importXmp) {
                if (auto fields = readSidecar(path, *importXmp)) {
                    if (fields->rating) {
                        d.flag = *fields->rating < 0 ? CatalogFlag::Reject : d.flag;
                        d.stars = std::clamp(*fields->rating, 0, 5);
                    }
                    if (fields->label) d.colorLabel = *fields->label;
                }
            }
            if (parser.isSet("pick")) d.flag = CatalogFlag::Pick;
            if (parser.isSet("reject")) d.flag = CatalogFlag::Reject;
            if (parser.isSet("unflag")) d.flag = CatalogFlag::None;
            if (stars) d.stars = *stars;
            if (parser.isSet("label")) d.colorLabel = parser.value("label").toStdString();
            if (parser.isSet("note")) d.note = parser.value("note").toStdString();
            catalog->setDecision(id, d);  // committed here, before the row is printed
            acknowledgeDecision(path, d, xmp);
        } catch (const CatalogStorageError& e) {
            // Locked, read-only or full: every later decision would fail the same way. The rows
            // printed so far are the decisions stored.
            const size_t stored = static_cast<size_t>(&path - collected.images.data());
            std::cerr << "qualiclip cull: " << e.what() << "; "
                      << (collected.images.size() - stored) << " decisions not stored\n";
            return kExitFailed;
        } catch (const std::exception& e) {
            ++failed;
            std::cerr << "qualiclip cull: " << e.what() << "\n";
        }
    }
    return failed > 0 ? kExitFailed : kExitOk;
}

}  // namespace qc::cli
