// CSV splitting: quotes, embedded commas/quotes/line breaks, CRLF, BOM, blank lines, errors.
#include <gtest/gtest.h>

#include "research/CsvReader.h"

namespace qc {
namespace {

using Fields = std::vector<std::string>;

struct CsvCase {
    const char* name;
    std::string text;
    std::vector<Fields> records;
};

class CsvReaderCases : public testing::TestWithParam<CsvCase> {};

TEST_P(CsvReaderCases, SplitsRecords) {
    const CsvCase& c = GetParam();
    const std::vector<CsvRecord> records = parseCsv(c.text);
    ASSERT_EQ(records.size(), c.records.size());
    for (size_t i = 0; i < records.size(); ++i)
        EXPECT_EQ(records[i].fields, c.records[i]) << "record " << i;
}

INSTANTIATE_TEST_SUITE_P(
    Text, CsvReaderCases,
    testing::Values(
        CsvCase{"plain", "a,b\n1,2\n", {{"a", "b"}, {"1", "2"}}},
        CsvCase{"no_final_newline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
        CsvCase{"crlf", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
        CsvCase{"bom",
                "\xEF\xBB\xBF"
                "a,b\n1,2\n",
                {{"a", "b"}, {"1", "2"}}},
        CsvCase{"empty_fields", "a,,c\n,,\n", {{"a", "", "c"}, {"", "", ""}}},
        CsvCase{"quoted_comma", "\"x, y\",2\n", {{"x, y", "2"}}},
        CsvCase{"doubled_quote", "\"say \"\"hi\"\"\",2\n", {{"say \"hi\"", "2"}}},
        CsvCase{"quoted_newline", "\"two\nlines\",2\r\n3,4\n", {{"two\nlines", "2"}, {"3", "4"}}},
        CsvCase{"quoted_crlf_kept", "\"a\r\nb\",1\n", {{"a\r\nb", "1"}}},
        CsvCase{"quoted_empty", "\"\",1\n", {{"", "1"}}},
        CsvCase{"blank_lines", "a\n\n\r\nb\n", {{"a"}, {"b"}}},
        CsvCase{"quote_inside_field_is_literal", "ab\"c,1\n", {{"ab\"c", "1"}}},
        CsvCase{"utf8", "na\xC3\xAFve.jpg,3\n", {{"na\xC3\xAFve.jpg", "3"}}}),
    [](const testing::TestParamInfo<CsvCase>& row) { return std::string(row.param.name); });

TEST(CsvReader, RecordsKnowTheirLine) {
    const std::vector<CsvRecord> records = parseCsv("h\n\"a\nb\"\n\nc\n");
    ASSERT_EQ(records.size(), 3U);
    EXPECT_EQ(records[0].line, 1U);
    EXPECT_EQ(records[1].line, 2U);
    EXPECT_EQ(records[2].line, 5U);
}

TEST(CsvReader, UnclosedQuoteNamesTheLine) {
    try {
        parseCsv("a,b\n1,\"open\n2,3\n");
        FAIL() << "no error";
    } catch (const CsvError& e) {
        EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parseCsv("\"closed\"junk,1\n"), CsvError);
}

}  // namespace
}  // namespace qc
