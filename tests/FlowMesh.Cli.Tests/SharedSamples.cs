namespace FlowMesh.Cli.Tests;

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

    /// <summary>The non-blank lines of a sample.</summary>
    public static string[] Lines(string fileName) =>
        File.ReadAllLines(Path(fileName)).Where(l => l.Trim().Length > 0).ToArray();
}
