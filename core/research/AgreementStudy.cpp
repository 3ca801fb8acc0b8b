#include "research/AgreementStudy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "results/ResultWriter.h"

namespace qc {
namespace {

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", value);
    return text;
}

nlohmann::ordered_json estimateJson(const EstimateWithInterval& e) {
    return {{"value", e.value}, {"ci_low", e.low}, {"ci_high", e.high}};
}

// Written to NAME.part and renamed, so an interrupted write never leaves a file that looks
// complete.
void writeFile(const std::filesystem::path& path, const std::string& content) {
    const std::filesystem::path part = path.string() + ".part";
    {
        std::ofstream out(part, std::ios::binary | std::ios::trunc);
        out << content;
        out.close();
        if (!out) throw QualiClipError("cannot write '" + part.string() + "'");
    }
    std::error_code ec;
    std::filesystem::rename(part, path, ec);
    if (ec) throw QualiClipError("cannot rename '" + part.string() + "': " + ec.message());
}

}  // namespace

AgreementStudy runAgreementStudy(const MosTable& table, const ImageScorer& scorer,
                                 const AgreementOptions& options, const StudyProgress& progress,
                                 const std::atomic<bool>* cancel) {
    AgreementStudy study;
    study.unmatched = table.unmatched;
    study.problems = table.problems;
    std::vector<std::string> paths;
    for (const MosEntry& e : table.matched) {
        study.rows.push_back({e.name, e.path, e.mos, 0, 0, 0, {}});
        paths.push_back(e.path);
    }
    std::vector<bool> delivered(paths.size(), false);
    scorer(
        paths,
        [&](size_t index, const ImageResult& result) {
            delivered[index] = true;
            AgreementRow& row = study.rows[index];
            if (result.ok())
                row.score = result.score;
            else
                row.error = result.error;
            if (progress) progress(StudyStage::Scoring, index + 1, paths.size());
        },
        cancel);
    if (cancel && cancel->load()) throw Cancelled();
    for (size_t i = 0; i < delivered.size(); ++i)
        if (!delivered[i]) study.rows[i].error = "not scored";

    std::vector<double> scores, mos;
    std::vector<size_t> scoredRows;
    for (size_t i = 0; i < study.rows.size(); ++i) {
        if (!study.rows[i].error.empty()) continue;
        scores.push_back(study.rows[i].score);
        mos.push_back(study.rows[i].mos);
        scoredRows.push_back(i);
    }
    study.scoredCount = scoredRows.size();
    study.report = computeAgreement(
        scores, mos, options,
        [&](int done, int total) {
            if (progress)
                progress(StudyStage::Bootstrap, static_cast<size_t>(done),
                         static_cast<size_t>(total));
        },
        cancel);
    for (size_t k = 0; k < scoredRows.size(); ++k) {
        AgreementRow& row = study.rows[scoredRows[k]];
        row.fitted = study.report.logistic.fitted[k];
        row.residual = study.report.residuals[k];
    }
    return study;
}

std::vector<size_t> failureCases(const AgreementStudy& study) {
    std::vector<size_t> order;
    for (size_t i = 0; i < study.rows.size(); ++i)
        if (study.rows[i].error.empty()) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return std::abs(study.rows[a].residual) > std::abs(study.rows[b].residual);
    });
    return order;
}

std::string agreementSummaryJson(const AgreementStudy& study, const ReportContext& context) {
    const AgreementReport& r = study.report;
    const LogisticParameters& p = r.logistic.parameters;
    nlohmann::ordered_json summary;
    summary["srcc"] = estimateJson(r.srcc);
    summary["krcc"] = estimateJson(r.krcc);
    summary["plcc"] = estimateJson(r.plcc);
    summary["rmse"] = estimateJson(r.rmse);
    summary["n"] = r.n;
    summary["logistic"] = {{"function", "b2 + (b1 - b2) / (1 + exp(-(x - b3) / |b4|))"},
                           {"b1", p.b1},
                           {"b2", p.b2},
                           {"b3", p.b3},
                           {"b4", p.b4},
                           {"converged", r.logistic.converged}};
    summary["bootstrap"] = {{"resamples", r.bootstrapResamples},
                            {"redrawn", r.bootstrapRedrawn},
                            {"seed", r.seed},
                            {"confidence", r.confidence},
                            {"method", "percentile"}};
    summary["images_listed"] = study.rows.size() + study.unmatched.size() + study.problems.size();
    summary["images_matched"] = study.rows.size();
    summary["images_failed"] = study.rows.size() - study.scoredCount;
    summary["names_unmatched"] = study.unmatched.size();
    summary["rows_unusable"] = study.problems.size();
    summary["model_sha256"] = context.modelSha256;
    summary["resize"] = context.resizePolicy;
    summary["recipe"] = context.recipe;
    summary["prompt_set"] = context.promptSet;
    summary["app_version"] = context.appVersion;
    summary["mos_file"] = context.mosFile;
    summary["images_folder"] = context.imagesFolder;
    return summary.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

void writeAgreementReport(const std::string& folder, const AgreementStudy& study,
                          const ReportContext& context) {
    const std::filesystem::path dir(folder);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw QualiClipError("cannot create the report folder '" + folder + "': " + ec.message());

    std::string images = "name,path,score,mos,fitted,residual,error\n";
    for (const AgreementRow& row : study.rows) {
        const bool scored = row.error.empty();
        images += csvEscape(row.name) + "," + csvEscape(row.path) + "," +
                  (scored ? number(row.score) : "") + "," + number(row.mos) + "," +
                  (scored ? number(row.fitted) : "") + "," + (scored ? number(row.residual) : "") +
                  "," + csvEscape(row.error) + "\n";
    }
    writeFile(dir / "images.csv", images);

    std::string failures = "rank,kind,name,score,mos,fitted,residual\n";
    int rank = 0;
    for (size_t i : failureCases(study)) {
        const AgreementRow& row = study.rows[i];
        failures += std::to_string(++rank) + "," + (row.residual < 0 ? "over" : "under") + "," +
                    csvEscape(row.name) + "," + number(row.score) + "," + number(row.mos) + "," +
                    number(row.fitted) + "," + number(row.residual) + "\n";
    }
    writeFile(dir / "failures.csv", failures);

    std::string unmatched = "name,line,reason\n";
    for (const MosEntry& e : study.unmatched)
        unmatched += csvEscape(e.name) + "," + std::to_string(e.line) +
                     ",no image with this name under the images folder\n";
    for (const MosRowProblem& p : study.problems)
        unmatched +=
            csvEscape(p.name) + "," + std::to_string(p.line) + "," + csvEscape(p.reason) + "\n";
    writeFile(dir / "unmatched.csv", unmatched);

    writeFile(dir / "summary.json", agreementSummaryJson(study, context));
}

}  // namespace qc
