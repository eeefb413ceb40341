using System.Text.Json;

namespace FlowMesh.Cli.Tests;

public static class JsonLineAssert
{
    /// <summary>
    /// One JSON object per flow-log line: for each field name, a '-' value must be missing from the object,
    /// any other value must be there with the same text (numbers as JSON numbers, the rest as strings).
    /// </summary>
    public static void Matches(string[] names, string line, string json)
    {
        var values = line.Split(' ');
        Assert.Equal(names.Length, values.Length);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(values.Count(v => v != "-"), root.EnumerateObject().Count());
        for (var i = 0; i < names.Length; i++)
        {
            if (values[i] == "-")
            {
                Assert.False(root.TryGetProperty(names[i], out _), $"{names[i]} should be absent");
                continue;
            }
            var property = root.GetProperty(names[i]);
            var isNumber = long.TryParse(values[i], out _) && names[i] != "account-id";
            Assert.Equal(isNumber ? JsonValueKind.Number : JsonValueKind.String, property.ValueKind);
            Assert.Equal(values[i], isNumber ? property.GetRawText() : property.GetString());
        }
    }
}
