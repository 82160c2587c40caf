using IdVerify.Core.Evaluation;

namespace IdVerify.Core.Tests;

public sealed class CsvTableTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("idverify-csv-").FullName;

    [Fact]
    public void Reads_columns_by_header_name_trimmed_unquoted_and_without_blank_lines()
    {
        var path = Write("pairs.csv", "Source, FILE_A ,file_b,same_identity\n\nlfw, \"a, b.jpg\" ,c.jpg,1\n\n");

        var table = CsvTable.Read(path, "file_a", "file_b");

        var row = Assert.Single(table.Rows);
        Assert.Equal(3, row.Line);
        Assert.Equal("lfw", row["source"]);
        Assert.Equal("a, b.jpg", row["file_a"]);
        Assert.Equal("", row["kind"]);
    }

    [Theory]
    [InlineData("", "empty.csv is empty")]
    [InlineData("x,y,1\n", "x.csv:1: no header line")]
    [InlineData("file_a,same_identity\nx,1\n", "x.csv:1: the header has no column 'file_b'")]
    [InlineData("file_a,file_b\nx,y\nz\n", "x.csv:3: 1 field where the header has 2")]
    [InlineData("file_a,file_b\n\"x,y\n", "x.csv:2: a quoted field runs over the end of the line")]
    [InlineData("file_a,file_a,file_b\nx,y,z\n", "x.csv cannot be read as CSV")]
    public void Refuses_a_malformed_file_in_one_line_naming_file_and_line(string text, string expected)
    {
        var path = Write(expected.StartsWith("empty", StringComparison.Ordinal) ? "empty.csv" : "x.csv", text);

        var error = Assert.Throws<IdVerifyException>(() => CsvTable.Read(path, "file_a", "file_b"));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Refuses_a_file_that_does_not_exist()
    {
        var error = Assert.Throws<IdVerifyException>(() => CsvTable.Read(Path.Combine(root, "none.csv"), "file"));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Contains("none.csv does not exist", error.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
