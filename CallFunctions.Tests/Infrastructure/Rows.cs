using Azure.Data.Tables;

namespace CallFunctions.Tests.Infrastructure;

/// <summary>Rules-table rows as a person would type them in Storage Explorer.</summary>
public static class Rows
{
    public static TableEntity Rule(string name, int priority, string action, string? caller = null, string? callee = null,
        string? reason = null, string? callType = null, bool? enabled = null, string scope = "default",
        string? days = null, string? hours = null, string? dates = null, string? timeZone = null)
    {
        var row = new TableEntity(scope, name) { ["Priority"] = priority, ["Action"] = action };
        if (caller is not null) row["Caller"] = caller;
        if (callee is not null) row["Callee"] = callee;
        if (reason is not null) row["Reason"] = reason;
        if (callType is not null) row["CallType"] = callType;
        if (enabled is not null) row["Enabled"] = enabled;
        if (days is not null) row["Days"] = days;
        if (hours is not null) row["Hours"] = hours;
        if (dates is not null) row["Dates"] = dates;
        if (timeZone is not null) row["TimeZone"] = timeZone;
        return row;
    }
}

/// <summary>A column a row builder does not name (Target, Timeout, Repeat), set as Storage Explorer would.</summary>
public static class RowColumns
{
    public static Azure.Data.Tables.TableEntity With(this Azure.Data.Tables.TableEntity row, string column, object value)
    {
        row[column] = value;
        return row;
    }
}
