using System.Reflection;

namespace FlowMesh.EndToEnd.Tests;

/// <summary>Where the project references built <c>flowmesh-server.dll</c> and <c>flowmesh.dll</c> (recorded at build time).</summary>
internal static class BuiltExecutables
{
    public static string Server { get; } = Find("flowmesh-server");

    public static string Cli { get; } = Find("flowmesh");

    public static string LoadHarness { get; } = Find("FlowMesh.LoadTest");

    public static string QueryLoad { get; } = Find("FlowMesh.QueryLoad");

    /// <summary>The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH), else "dotnet" from PATH.</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string Find(string name)
    {
        var path = typeof(BuiltExecutables).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == name)?.Value
            ?? throw new InvalidOperationException($"The build did not record where {name}.dll is; rebuild the test project.");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} has not been built; run dotnet build first.", path);
    }
}
