using System.Text;
using Azure.Data.Tables;
using CallFunctions.Platform;
using CallFunctions.RuleTable;

namespace CallFunctions.RuleTable.Files;

/// <summary>
/// Rules as CSV in Storage Explorer's layout: each column followed by <c>Column@type</c> (<c>Edm.Int32</c>…), so types
/// survive. A cell with no type is absent from the row (an empty String has the type <c>Edm.String</c>). A column
/// without a <c>@type</c> column is typed as a person means it: whole numbers, true/false, or text.
/// </summary>
internal static class RulesCsv
{
    private const string TypeSuffix = "@type";

    public static string Write(IReadOnlyList<TableEntity> rows)
    {
        var columns = RulesFile.ColumnOrder(rows);
        var text = new StringBuilder();
        text.AppendJoin(',', columns.SelectMany(c => IsKey(c) ? [c] : new[] { c, c + TypeSuffix }).Select(Quote)).Append('\n');
        foreach (var row in rows)
        {
            var cells = columns.SelectMany(c => IsKey(c)
                ? [row.GetString(c) ?? ""]
                : row.TryGetValue(c, out var v) && v is not null ? new[] { EdmValue.Format(v), EdmValue.TypeOf(v) } : ["", ""]);
            text.AppendJoin(',', cells.Select(Quote)).Append('\n');
        }
        return text.ToString();
    }

    public static List<TableEntity> Read(string text)
    {
        var records = Parse(text);
        if (records.Count == 0) throw new FormatException("the file has no header line");
        var header = records[0];
        var rows = new List<TableEntity>();
        foreach (var (record, number) in records.Skip(1).Select((r, i) => (r, i + 2)))
        {
            if (record is [""]) continue;
            var where = $"line {number}";
            if (record.Count != header.Count)
                throw new FormatException($"{where} has {record.Count} cells, and the header {header.Count}");
            var row = new TableEntity();
            for (var i = 0; i < header.Count; i++)
            {
                var column = header[i];
                if (column.EndsWith(TypeSuffix, StringComparison.Ordinal) || RuleTableReader.IsSystemColumn(column)) continue;
                var typeAt = header.IndexOf(column + TypeSuffix);
                var type = typeAt < 0 ? "" : record[typeAt];
                try
                {
                    if (Value(column, record[i], type, typeAt >= 0) is { } value) row[column] = value;
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{where}, column {column}: {e.Message}");
                }
            }
            RulesFile.CheckKeys(row, where);
            rows.Add(row);
        }
        return rows;
    }

    private static object? Value(string column, string cell, string type, bool typed)
    {
        if (IsKey(column)) return cell;
        if (type.Length > 0) return EdmValue.Parse(type, cell);
        if (cell.Length == 0) return null;
        // A typed column with a value but no type: someone edited the CSV by hand.
        return typed ? throw new FormatException($"\"{cell}\" has no type in the {column}{TypeSuffix} column") : EdmValue.Infer(cell);
    }

    private static bool IsKey(string column) => column is "PartitionKey" or "RowKey";

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 && cell.Trim() == cell ? cell : $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>RFC 4180: quoted cells may hold commas, doubled quotes and line breaks.</summary>
    private static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') cell.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') cell.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(cell.ToString()); cell.Clear(); }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                record.Add(cell.ToString());
                cell.Clear();
                records.Add(record);
                record = [];
            }
            else cell.Append(c);
        }
        if (quoted) throw new FormatException("a quoted cell is not closed");
        if (cell.Length > 0 || record.Count > 0)
        {
            record.Add(cell.ToString());
            records.Add(record);
        }
        return records;
    }
}
