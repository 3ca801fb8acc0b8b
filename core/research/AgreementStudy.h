// AgreementStudy: a model's scores set against human MOS for one dataset, the engine part of
// research mode (issue #8). It scores every matched image of a MosTable through an ImageScorer,
// computes the agreement figures (AgreementStatistics.h) on the images that scored, and orders
// the failure cases; writeAgreementReport() writes the report folder the CLI and the window share.
//
// Scores come through an ImageScorer (engine/ImageScorer.h): the engine itself, or the catalog.
//
// Usage:
//   ScoringEngine engine(QualiClipModel::load(path), options);
//   AgreementStudy s = runAgreementStudy(loadMosTable(csv, folder, columns), engineScorer(engine),
//   {}); writeAgreementReport("report/", s, {engine.model().info().sha256, "native", QCI_VERSION});
//
// runAgreementStudy() runs on the calling thread; progress is called on that thread; the cancel
// flag is checked between images and between bootstrap resamples.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "research/AgreementStatistics.h"
#include "research/MosTable.h"
#include "engine/ImageScorer.h"
#include "engine/ScoringEngine.h"

namespace qc {

struct AgreementRow {
    std::string name;  // as in the MOS file
    std::string path;
    double mos = 0;
    double score = 0;     // the model's score (valid when error is empty)
    double fitted = 0;    // the logistic's prediction of the MOS from the score
    double residual = 0;  // mos - fitted: negative = the model over-estimates the quality
    std::string error;    // why the image has no score
};

struct AgreementStudy {
    std::vector<AgreementRow>
        rows;  // every matched image, in MOS-file order; scored ones have fitted values
    size_t scoredCount = 0;
    AgreementReport report;           // over the scored rows
    std::vector<MosEntry> unmatched;  // from the MosTable, passed on for the report
    std::vector<MosRowProblem> problems;
};

enum class StudyStage { Scoring, Bootstrap };
using StudyProgress = std::function<void(StudyStage stage, size_t done, size_t total)>;

// Throws StatisticsError when the scored images cannot give the figures (fewer than 4, constant
// scores or MOS), Cancelled when cancelled.
AgreementStudy runAgreementStudy(const MosTable& table, const ImageScorer& scorer,
                                 const AgreementOptions& options,
                                 const StudyProgress& progress = {},
                                 const std::atomic<bool>* cancel = nullptr);

// Indices into study.rows of the scored images, worst agreement first (largest |residual|).
std::vector<size_t> failureCases(const AgreementStudy& study);

struct ReportContext {
    std::string modelSha256;
    std::string resizePolicy;  // ResizePolicy::toString()
    std::string appVersion;
    std::string mosFile, imagesFolder;
    std::string recipe = "official";     // engine/ScoringRecipe.h recipeName()
    std::string promptSet = "default";   // engine/PromptSet.h id, "learned:<sha>" for QualiCLIP+
};

// The summary.json document: srcc/krcc/plcc/rmse as {value, ci_low, ci_high}, n, the logistic,
// the bootstrap settings, and the context.
std::string agreementSummaryJson(const AgreementStudy& study, const ReportContext& context);

// Writes into `folder` (created if needed): images.csv (name, path, score, mos, fitted, residual,
// error), summary.json, failures.csv (failureCases() order: rank, kind over/under, name, score,
// mos, fitted, residual) and unmatched.csv (name, line, reason) for names without an image and
// rows that could not be used. Throws QualiClipError naming the file that cannot be written.
void writeAgreementReport(const std::string& folder, const AgreementStudy& study,
                          const ReportContext& context);

}  // namespace qc
