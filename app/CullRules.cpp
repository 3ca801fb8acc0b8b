#include "CullRules.h"

#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "BurstSupport.h"
#include "CommandSupport.h"
#include "library/Catalog.h"
#include "library/CullRules.h"
#include "library/ImageCollector.h"

namespace qc::cli {
namespace {

struct RuleArguments {
    ShootArguments shoot;
    bool bestOfBursts = false;
    std::optional<double> rejectBelow, pickTop;
    bool includeStarred = false, dryRun = false;
};

std::string parseRuleArguments(const QCommandLineParser& parser, RuleArguments& a) {
    if (const std::string problem = parseShootOptions(parser, a.shoot); !problem.empty())
        return problem;
    a.bestOfBursts = parser.isSet("best-of-bursts");
    bool ok = false;
    if (parser.isSet("reject-below")) {
        a.rejectBelow = parser.value("reject-below").toDouble(&ok);
        if (!ok || *a.rejectBelow < 0 || *a.rejectBelow > 1)
            return "invalid --reject-below (a score, 0 to 1)";
    }
    if (parser.isSet("pick-top")) {
        a.pickTop = parser.value("pick-top").toDouble(&ok);
        if (!ok || *a.pickTop < 0 || *a.pickTop > 100)
            return "invalid --pick-top (a percentage, 0 to 100)";
    }
    if (parser.isSet("pick") || parser.isSet("reject") || parser.isSet("unflag") ||
        parser.isSet("stars"))
        return "a rule (--best-of-bursts, --reject-below, --pick-top) and "
               "--pick/--reject/--unflag/--stars exclude each other";
    a.includeStarred = parser.isSet("include-starred");
    a.dryRun = parser.isSet("dry-run");
    return {};
}

// The photos without grouping them (bursts play no part in the other rules).
ShootGrouping ungrouped(Catalog& catalog, const std::vector<ImageResult>& results) {
    ShootGrouping photos;
    for (const ImageResult& r : results) {
        ShootPhoto p;
        p.path = r.path;
        p.catalogId = catalog.resolve(r.path).id;
        if (r.ok()) p.score = r.score;
        photos.photos.push_back(p);
    }
    return photos;
}

std::vector<CullCandidate> candidatesOf(Catalog& catalog, const std::vector<ShootPhoto>& photos) {
    std::vector<CullCandidate> candidates;
    for (const ShootPhoto& p : photos) {
        CullCandidate c;
        c.score = p.score;
        c.burstId = p.burstId;
        c.best = p.best;
        if (p.catalogId != 0) {
            const CatalogDecision d = catalog.decision(p.catalogId);
            c.flag = d.flag;
            c.stars = d.stars;
        }
        candidates.push_back(c);
    }
    return candidates;
}

// Applies a plan to the candidates in memory, so the next rule sees its result; returns the
// flag each changed candidate gets.
void merge(const CullPlan& plan, std::vector<CullCandidate>& candidates,
           std::map<size_t, CatalogFlag>& changes) {
    for (size_t i : plan.picks) changes[i] = candidates[i].flag = CatalogFlag::Pick;
    for (size_t i : plan.rejects) changes[i] = candidates[i].flag = CatalogFlag::Reject;
}

void report(const char* rule, const CullPlan& plan) {
    std::cerr << "qualiclip cull: " << rule << ": " << plan.picks.size() << " to pick, "
              << plan.rejects.size() << " to reject\n";
}


}  // namespace

void acknowledgeDecision(const std::string& path, const CatalogDecision& d,
                         std::optional<SidecarNaming> xmp) {
    if (xmp) {
        SidecarFields fields;
        fields.rating = d.flag == CatalogFlag::Reject ? -1 : d.stars;
        fields.label = d.colorLabel;
        writeSidecar(path, *xmp, fields);
    }
    nlohmann::ordered_json row;
    row["path"] = path;
    row["flag"] = catalogFlagName(d.flag);
    row["stars"] = d.stars;
    row["label"] = d.colorLabel;
    row["note"] = d.note;
    std::cout << row.dump() << std::endl;
}

void addCullRuleOptions(QCommandLineParser& parser) {
    parser.addOptions({
        {"best-of-bursts",
         "Rule: group the images into bursts (--gap, --similarity) and pick the best of each, "
         "rejecting the others (picks and starred photos are never rejected)."},
        {"reject-below",
         "Rule: reject unflagged images scored below SCORE (starred ones only with "
         "--include-starred).",
         "SCORE"},
        {"pick-top", "Rule: pick the PERCENT best-scored images (rejects stay rejected).",
         "PERCENT"},
        {"include-starred", "--reject-below also rejects starred images."},
        {"dry-run", "Print how many images the rules would pick and reject, change nothing."},
    });
    addShootOptions(parser, false);
}

bool cullRuleRequested(const QCommandLineParser& parser) {
    return parser.isSet("best-of-bursts") || parser.isSet("reject-below") ||
           parser.isSet("pick-top");
}

int runCullRules(const QCommandLineParser& parser, const std::vector<std::string>& inputs,
                 std::optional<SidecarNaming> xmp) {
    RuleArguments args;
    if (const std::string problem = parseRuleArguments(parser, args); !problem.empty())
        return usageError("cull", problem);
    args.shoot.recursive = parser.isSet("recursive");
    std::unique_ptr<Catalog> catalog;
    try {
        catalog = std::make_unique<Catalog>(catalogPathOption(parser));
    } catch (const std::exception& e) {
        std::cerr << "qualiclip cull: " << e.what() << "\n";
        return kExitUsage;
    }
    const CollectedImages collected = collectImages(inputs, args.shoot.recursive);
    for (const CollectionProblem& p : collected.problems)
        std::cerr << "qualiclip cull: '" << p.path << "': " << p.reason << "\n";
    bool interrupted = false;
    const std::optional<ScoredShoot> shoot =
        scoreShoot("cull", args.shoot, *catalog, collected.images, interrupted);
    if (!shoot) return interrupted ? kExitInterrupted : kExitUsage;

    try {
        // Grouping stores the bursts; the other rules leave the stored bursts alone.
        const ShootGrouping grouping = args.bestOfBursts
                                           ? groupShoot(*catalog, shoot->results, args.shoot.bursts,
                                                        sharpnessPairIndex(shoot->pairs))
                                           : ungrouped(*catalog, shoot->results);
        std::vector<CullCandidate> candidates = candidatesOf(*catalog, grouping.photos);
        std::map<size_t, CatalogFlag> changes;
        if (args.bestOfBursts) {
            const CullPlan plan = planBestOfBursts(candidates);
            report("best of bursts", plan);
            merge(plan, candidates, changes);
        }
        if (args.rejectBelow) {
            const CullPlan plan =
                planRejectBelow(candidates, *args.rejectBelow, args.includeStarred);
            report("reject below", plan);
            merge(plan, candidates, changes);
        }
        if (args.pickTop) {
            const CullPlan plan = planPickTopPercent(candidates, *args.pickTop);
            report("pick top", plan);
            merge(plan, candidates, changes);
        }
        if (args.dryRun) return shoot->failed > 0 ? kExitFailed : kExitOk;

        std::vector<std::pair<int64_t, CatalogDecision>> rows;
        for (const auto& [index, flag] : changes) {
            CatalogDecision d = catalog->decision(grouping.photos[index].catalogId);
            d.flag = flag;
            rows.emplace_back(grouping.photos[index].catalogId, d);
        }
        catalog->setDecisions(rows);  // one transaction: all of the rules or nothing
        size_t index = 0;
        for (const auto& [photo, flag] : changes) {
            const std::string& path = grouping.photos[photo].path;
            acknowledgeDecision(path, rows[index++].second, xmp);
        }
    } catch (const std::exception& e) {
        std::cerr << "qualiclip cull: " << e.what() << "\n";
        return kExitFailed;
    }
    return shoot->failed > 0 || !collected.problems.empty() ? kExitFailed : kExitOk;
}

}  // namespace qc::cli
