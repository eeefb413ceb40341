using System.Text;
using Spectre.Console;

namespace FlowMesh.Cli.Querying;

/// <summary>
/// A Spectre.Console console over the CLI's (injectable) output writer. Colours and live redraw
/// only when standard output is a terminal; redirected output and tests get plain text.
/// </summary>
internal static class SpectreConsoles
{
    public static IAnsiConsole Create(CliConsole console)
    {
        var terminal = !Console.IsOutputRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new WriterOutput(console.Out, terminal),
        });
    }

    /// <summary>The CLI writes through its own writer (buffered stdout, or a test's StringWriter), so say whether that is a terminal.</summary>
    private sealed class WriterOutput(TextWriter writer, bool terminal) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => terminal;

        public int Width => terminal && Console.WindowWidth > 0 ? Console.WindowWidth : 120;

        public int Height => terminal && Console.WindowHeight > 0 ? Console.WindowHeight : 40;

        public void SetEncoding(Encoding encoding)
        {
        }
    }
}
