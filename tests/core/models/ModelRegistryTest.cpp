// Tests of the built-in model registry and of installed.json (InstalledModels).
#include "Errors.h"
#include "models/InstalledModels.h"
#include "models/ModelDownloader.h"
#include "models/ModelRegistry.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace qc {
namespace {

namespace fs = std::filesystem;

TEST(ModelRegistry, BuiltInRegistryNamesTheAuthorsRelease) {
    const std::vector<RegistryEntry>& entries = modelRegistry();
    ASSERT_FALSE(entries.empty());
    const RegistryEntry& e = entries.front();
    EXPECT_EQ(e.id, "qualiclip");
    EXPECT_EQ(e.fileName, "qualiclip.pth");
    EXPECT_EQ(e.url, "https://github.com/miccunifi/QualiCLIP/releases/download/weights/qualiclip.pth");
    EXPECT_EQ(e.licence, "CC BY-NC 4.0");
    EXPECT_NE(e.citation.find("2403.11176"), std::string::npos);
    EXPECT_FALSE(e.size.has_value());  // not published: recorded as unknown
    EXPECT_TRUE(e.sha256.empty());
    EXPECT_TRUE(findRegistryEntry("qualiclip").has_value());
    EXPECT_FALSE(findRegistryEntry("nope").has_value());
    EXPECT_EQ(findRegistryEntryByFile("qualiclip.pth")->id, "qualiclip");
}

std::string registryWith(const std::string& field) {
    return R"({"models":[{"id":"a","name":"A","url":"https://x/a.pth","licence":"L","citation":"C",)" + field + "}]}";
}

TEST(ModelRegistry, RefusesMalformedEntries) {
    EXPECT_NO_THROW(parseModelRegistry(registryWith(R"("file":"a.pth","size":12,"sha256":null)")));
    EXPECT_THROW(parseModelRegistry("not json"), QualiClipError);
    EXPECT_THROW(parseModelRegistry(R"({"models":[]})"), QualiClipError);
    EXPECT_THROW(parseModelRegistry(registryWith(R"("file":"../evil.pth")")), QualiClipError);
    EXPECT_THROW(parseModelRegistry(registryWith(R"("file":"a.bin")")), QualiClipError);
    EXPECT_THROW(parseModelRegistry(registryWith(R"("file":"a.pth","sha256":"ABC")")), QualiClipError);
    EXPECT_THROW(parseModelRegistry(registryWith(R"("file":"a.pth","size":-3)")), QualiClipError);
    EXPECT_THROW(parseModelRegistry(R"({"models":[{"id":"a","name":"A","file":"a.pth","url":"ftp://x","licence":"L","citation":"C"}]})"),
                 QualiClipError);
}

TEST(ModelRegistry, TheModelListsClipsVocabularyAsACompanionFile) {
    const auto vocabulary = modelRegistry().front().file("vocabulary");
    ASSERT_TRUE(vocabulary.has_value());
    EXPECT_EQ(vocabulary->fileName, "bpe_simple_vocab_16e6.txt.gz");
    EXPECT_EQ(vocabulary->sha256, "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a");
    EXPECT_EQ(vocabulary->size, 1356917);
    EXPECT_NE(vocabulary->url.find("miccunifi/QualiCLIP"), std::string::npos);
    EXPECT_EQ(companionUrl(*vocabulary, "http://127.0.0.1:8/m/qualiclip.pth"), "http://127.0.0.1:8/m/bpe_simple_vocab_16e6.txt.gz");
    EXPECT_EQ(companionUrl(*vocabulary, ""), vocabulary->url);
    const std::string file = R"("file":"a.pth","files":[{"role":"vocabulary","file":"v.gz","url":"https://x/v.gz","licence":"MIT",)";
    EXPECT_NO_THROW(parseModelRegistry(registryWith(file + R"("sha256":")" + std::string(64, 'a') + "\"}]")));
    EXPECT_THROW(parseModelRegistry(registryWith(file + R"("sha256":null}])")), QualiClipError);  // hash required
    EXPECT_THROW(parseModelRegistry(registryWith(R"("file":"a.pth","files":[{"role":"vocabulary","file":"../v.gz","url":"https://x/v.gz","licence":"MIT","sha256":")" +
                                                 std::string(64, 'a') + "\"}]")),
                 QualiClipError);
}

TEST(InstalledModels, RecordsHashesAndWarnsWhenALaterDownloadDiffers) {
    test::TempDir folder;
    InstalledRecord r;
    r.fileName = "qualiclip.pth";
    r.id = "qualiclip";
    r.sha256 = std::string(64, 'a');
    r.size = 10;
    EXPECT_EQ(recordInstalledModel(folder.path().string(), r), "");
    EXPECT_EQ(recordInstalledModel(folder.path().string(), r), "");  // the same file again: fine
    r.sha256 = std::string(64, 'b');
    const std::string warning = recordInstalledModel(folder.path().string(), r);
    EXPECT_NE(warning.find("differs from the first download"), std::string::npos) << warning;
    const auto records = readInstalledRecords(folder.path().string());
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].sha256, std::string(64, 'b'));
    EXPECT_EQ(records[0].firstSha256, std::string(64, 'a'));
}

TEST(InstalledModels, ListsPthFilesWithTheirRecordAndDeletes) {
    test::TempDir folder;
    std::ofstream(folder.file("qualiclip.pth")) << "12345";
    std::ofstream(folder.file("other.pth")) << "1";
    std::ofstream(folder.file("qualiclip.pth.part")) << "partial";
    InstalledRecord r;
    r.fileName = "qualiclip.pth";
    r.sha256 = std::string(64, 'c');
    recordInstalledModel(folder.path().string(), r);

    auto models = listInstalledModels(folder.path().string());
    ASSERT_EQ(models.size(), 2u);
    EXPECT_EQ(models[0].fileName, "other.pth");
    EXPECT_FALSE(models[0].record.has_value());
    EXPECT_FALSE(models[0].entry.has_value());
    EXPECT_EQ(models[1].fileName, "qualiclip.pth");
    EXPECT_EQ(models[1].size, 5);
    ASSERT_TRUE(models[1].record.has_value());
    EXPECT_EQ(models[1].record->sha256, std::string(64, 'c'));
    EXPECT_EQ(models[1].entry->id, "qualiclip");

    EXPECT_EQ(removeInstalledModel(folder.path().string(), "qualiclip.pth"), "");
    EXPECT_FALSE(fs::exists(folder.file("qualiclip.pth")));
    EXPECT_TRUE(readInstalledRecords(folder.path().string()).empty());
    EXPECT_NE(removeInstalledModel(folder.path().string(), "qualiclip.pth"), "");
    EXPECT_NE(removeInstalledModel(folder.path().string(), "../x.pth"), "");
    EXPECT_EQ(formatBytes(14385199), "14.4 MB");
}

TEST(InstalledModels, ADamagedRecordFileGivesNoRecords) {
    test::TempDir folder;
    std::ofstream(folder.file("installed.json")) << "{ broken";
    EXPECT_TRUE(readInstalledRecords(folder.path().string()).empty());
}

}  // namespace
}  // namespace qc

namespace qc {
namespace {

TEST(ModelRegistry, QualiclipPlusModelsArePromptLearnersOnTheAuthorsWeights) {
    for (const char* dataset : {"koniq", "clive", "flive", "spaq"}) {
        SCOPED_TRACE(dataset);
        const auto entry = findRegistryEntry(std::string("qualiclip+-") + dataset);
        ASSERT_TRUE(entry.has_value());
        EXPECT_TRUE(entry->isPromptLearner());
        EXPECT_EQ(entry->base, "qualiclip");
        EXPECT_EQ(entry->fileName, std::string("QualiCLIP+_") + dataset + ".pth");
        EXPECT_EQ(entry->url, "https://huggingface.co/chaofengc/IQA-PyTorch-Weights/resolve/main/QualiCLIP+_" +
                                  std::string(dataset) + ".pth");
        EXPECT_NE(entry->licence.find("not stated"), std::string::npos);
        EXPECT_NE(entry->citation.find("2403.11176"), std::string::npos);
    }
    EXPECT_FALSE(findRegistryEntry("qualiclip")->isPromptLearner());
}

TEST(ModelRegistry, ABaseMustBeAModelWithWeights) {
    const std::string model = R"({"id":"a","name":"A","file":"a.pth","url":"https://x/a.pth","licence":"L","citation":"C"})";
    const auto learner = [](const std::string& base) {
        return R"({"id":"p","name":"P","file":"p.pth","url":"https://x/p.pth","licence":"L","citation":"C","base":")" +
               base + "\"}";
    };
    EXPECT_EQ(parseModelRegistry(R"({"models":[)" + model + "," + learner("a") + "]}").at(1).base, "a");
    EXPECT_THROW(parseModelRegistry(R"({"models":[)" + model + "," + learner("nope") + "]}"), QualiClipError);
    EXPECT_THROW(parseModelRegistry(R"({"models":[)" + model + "," + learner("p") + "]}"), QualiClipError);
}

}  // namespace
}  // namespace qc
