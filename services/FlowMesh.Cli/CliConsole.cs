using System.Text;

namespace FlowMesh.Cli;

/// <summary>Where a verb reads and writes, injectable so tests run verbs in-process.</summary>
internal sealed class CliConsole(TextWriter output, TextWriter error, Func<Stream> openStandardInput)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Opens standard input (read when no file or '-' is given).</summary>
    public Stream OpenStandardInput() => openStandardInput();

    /// <summary>The process console: buffered UTF-8 stdout (records can be millions of lines), unbuffered stderr.</summary>
    public static CliConsole CreateSystem()
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var output = new StreamWriter(Console.OpenStandardOutput(), utf8, 1 << 16) { AutoFlush = false };
        var error = new StreamWriter(Console.OpenStandardError(), utf8) { AutoFlush = true };
        return new CliConsole(output, error, Console.OpenStandardInput);
    }

    public async Task FlushAsync()
    {
        await Out.FlushAsync();
        await Error.FlushAsync();
    }
}
