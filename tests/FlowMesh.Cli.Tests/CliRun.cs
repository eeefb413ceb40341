using System.Text;

namespace FlowMesh.Cli.Tests;

/// <summary>Runs the real command tree in-process with captured stdout/stderr and a given stdin.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public string[] OutLines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] ErrorLines => Error.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    public static async Task<CliRun> RunAsync(string[] args, byte[]? stdin = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, () => new MemoryStream(stdin ?? []));

        var exitCode = await CliApp.RunAsync(args, console, TestContext.Current.CancellationToken);

        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public static string TempFile(byte[] content, string extension)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"flowmesh-cli-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, content);
        return path;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
