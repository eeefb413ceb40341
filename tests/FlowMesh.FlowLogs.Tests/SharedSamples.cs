namespace FlowMesh.FlowLogs.Tests;

/// <summary>Finds the shared samples: walk up from the test binaries to the folder holding FlowMesh.sln, then ../shared/samples.</summary>
public static class SharedSamples
{
    public static string Path(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "FlowMesh.sln")))
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "samples", fileName));
        }
        throw new DirectoryNotFoundException($"No FlowMesh.sln above {AppContext.BaseDirectory}.");
    }

    public static byte[] Read(string fileName) => File.ReadAllBytes(Path(fileName));

    /// <summary>The data of every record of a Firehose request body, base64-decoded.</summary>
    public static List<byte[]> FirehoseRecords(string fileName)
    {
        using var document = System.Text.Json.JsonDocument.Parse(Read(fileName));
        return document.RootElement.GetProperty("records").EnumerateArray()
            .Select(record => Convert.FromBase64String(record.GetProperty("data").GetString()!))
            .ToList();
    }
}
