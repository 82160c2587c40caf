using nietras.SeparatedValues;

namespace IdVerify.Core.Evaluation;

/// <summary>
/// A small comma-separated file (labels, pairs), read whole with Sep: a header line first, columns found by name
/// (case-insensitive; spaces around values trimmed, quoted values unescaped), blank lines skipped. Every problem with
/// the file (missing, empty, no header or a required column absent, a row with too few or too many fields, a quote that
/// never closes, unreadable) is an <see cref="IdVerifyException"/> with <see cref="ErrorCodes.InvalidRequest"/> and a
/// one-line message that names the file and, where there is one, the line.
/// </summary>
public sealed class CsvTable
{
    private CsvTable(string path, IReadOnlyList<CsvRow> rows)
    {
        Path = path;
        Rows = rows;
    }

    public string Path { get; }

    /// <summary>The data rows, in file order, without the header and blank lines.</summary>
    public IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>Reads <paramref name="path"/> and checks that its header names every one of <paramref name="requiredColumns"/>.</summary>
    public static CsvTable Read(string path, params IReadOnlyList<string> requiredColumns)
    {
        var expected = string.Join(",", requiredColumns);
        if (Directory.Exists(path))
        {
            throw Invalid(path, null, $"is a folder, not a CSV file with columns {expected}.");
        }

        if (!File.Exists(path))
        {
            throw Invalid(path, null, $"does not exist (expected a CSV file with columns {expected}).");
        }

        try
        {
            using var reader = Sep.New(',').Reader(o => o with
            {
                Unescape = true,
                Trim = SepTrim.All,
                // Checked here, so that the message names the file and line.
                DisableColCountCheck = true,
                ColNameComparer = StringComparer.OrdinalIgnoreCase,
            }).FromFile(path);

            var header = reader.Header.ColNames.ToList();
            if (header.All(h => h.Length == 0))
            {
                throw Invalid(path, header.Count == 0 ? null : 1,
                    header.Count == 0 ? $"is empty (expected a header line {expected})." : $"the first line is blank (expected a header line {expected}).");
            }

            var missing = requiredColumns.Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count == requiredColumns.Count)
            {
                throw Invalid(path, 1, $"no header line (it reads '{Preview(header)}'); the first line must name the columns {expected}.");
            }

            if (missing.Count > 0)
            {
                throw Invalid(path, 1, $"the header has no column {string.Join(", ", missing.Select(m => $"'{m}'"))} (it reads '{Preview(header)}'; needed: {expected}).");
            }

            var columns = header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.OrdinalIgnoreCase);
            var rows = new List<CsvRow>();
            foreach (var row in reader)
            {
                var line = row.LineNumberFrom;
                if (row.LineNumberToExcl - line > 1)
                {
                    throw Invalid(path, line, "a quoted field runs over the end of the line (a quote that never closes?).");
                }

                if (row.ColCount == 1 && row[0].Span.IsEmpty)
                {
                    continue;
                }

                if (row.ColCount != header.Count)
                {
                    throw Invalid(path, line,
                        $"{row.ColCount} field{(row.ColCount == 1 ? "" : "s")} where the header has {header.Count} ({string.Join(",", header)}).");
                }

                var fields = new string[row.ColCount];
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] = row[i].ToString();
                }

                rows.Add(new CsvRow(line, fields, columns));
            }

            return new CsvTable(path, rows);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
        {
            // Sep refuses a header that names a column twice with an ArgumentException; the rest is the file system.
            throw Invalid(path, null, $"cannot be read as CSV: {ex.Message}", ex);
        }
    }

    /// <summary>A problem with one row of this file, in the form every CSV problem takes.</summary>
    public IdVerifyException Error(CsvRow row, string message) => Invalid(Path, row.Line, message);

    /// <summary>The header as read, short and printable: a binary file passed by mistake must not flood the one-line message.</summary>
    private static string Preview(IEnumerable<string> header)
    {
        var text = new string(string.Join(",", header).Select(c => char.IsControl(c) || c == '\uFFFD' ? '?' : c).ToArray());
        return text.Length <= 80 ? text : text[..80] + "…";
    }

    private static IdVerifyException Invalid(string path, int? line, string message, Exception? inner = null) =>
        new(ErrorCodes.InvalidRequest, line is { } l ? $"{path}:{l}: {message}" : $"{path} {message}", inner);
}
