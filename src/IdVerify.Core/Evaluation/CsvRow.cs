namespace IdVerify.Core.Evaluation;

/// <summary>One data row of a <see cref="CsvTable"/>: its 1-based line number and its fields, trimmed and unescaped.</summary>
public sealed class CsvRow
{
    private readonly IReadOnlyList<string> fields;
    private readonly IReadOnlyDictionary<string, int> columns;

    internal CsvRow(int line, IReadOnlyList<string> fields, IReadOnlyDictionary<string, int> columns)
    {
        Line = line;
        this.fields = fields;
        this.columns = columns;
    }

    public int Line { get; }

    /// <summary>The value in the named column; empty where the file has no such column (an optional one).</summary>
    public string this[string column] => columns.TryGetValue(column, out var i) ? fields[i] : "";
}
