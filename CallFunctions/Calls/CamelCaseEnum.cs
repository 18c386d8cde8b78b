using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallFunctions.Calls;

/// <summary>
/// An enum written as its camelCase name (<c>HungUp</c> as <c>hungUp</c>), in answers and in telemetry alike, so each
/// outcome or verdict has one spelling.
/// </summary>
public sealed class CamelCaseEnum<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase)
    where T : struct, Enum
{
    public static string Name(T value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
