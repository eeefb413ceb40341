using System.IO.Compression;

namespace FlowMesh.Cli.Tests;

/// <summary>The real <c>parse</c> verb run in-process over the shared samples, stdin, gzip and bad input.</summary>
public sealed class ParseCommandTests
{
    private static readonly string[] DefaultNames =
        ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status"];

    [Fact]
    public async Task Parse_DefaultSampleAsJson_EachObjectMatchesItsLine()
    {
        var run = await CliRun.RunAsync(["parse", "--json", SharedSamples.Path("default-v2.log")]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        var lines = SharedSamples.Lines("default-v2.log");
        Assert.Equal(lines.Length, run.OutLines.Length);
        for (var i = 0; i < lines.Length; i++) JsonLineAssert.Matches(DefaultNames, lines[i], run.OutLines[i]);
    }

    [Fact]
    public async Task Parse_HeaderSampleAsJson_UsesTheHeaderNames()
    {
        var run = await CliRun.RunAsync(["parse", "--json", SharedSamples.Path("custom-v5-with-header.log")]);

        Assert.Equal(0, run.ExitCode);
        var lines = SharedSamples.Lines("custom-v5-with-header.log");
        var names = lines[0].Split(' ');
        Assert.Equal(lines.Length - 1, run.OutLines.Length);
        for (var i = 1; i < lines.Length; i++) JsonLineAssert.Matches(names, lines[i], run.OutLines[i - 1]);
        Assert.Contains("\"traffic-path\":8", run.OutLines[0], StringComparison.Ordinal);
        Assert.Contains("\"pkt-srcaddr\":\"10.0.7.21\"", run.OutLines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_V8SampleWithItsFormatString_ReadsIPv6AndBpa()
    {
        var lines = SharedSamples.Lines("custom-v8-ipv6.log");

        var run = await CliRun.RunAsync(["parse", "--json", "--format", lines[0], SharedSamples.Path("custom-v8-ipv6.log")]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        var names = lines[0].Split(' ').Select(t => t[2..^1]).ToArray();
        Assert.Equal(3, run.OutLines.Length);
        for (var i = 1; i < lines.Length; i++) JsonLineAssert.Matches(names, lines[i], run.OutLines[i - 1]);
        Assert.Contains("\"reject-reason\":\"BPA\"", run.OutLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_Stdin_ReadsWhenNoFileOrDashIsGiven()
    {
        var input = File.ReadAllBytes(SharedSamples.Path("default-v2.log"));

        var none = await CliRun.RunAsync(["parse", "--json"], input);
        var dash = await CliRun.RunAsync(["parse", "--json", "-"], input);

        Assert.Equal(0, none.ExitCode);
        Assert.Equal(9, none.OutLines.Length);
        Assert.Equal(none.Out, dash.Out);
        JsonLineAssert.Matches(DefaultNames, SharedSamples.Lines("default-v2.log")[5], none.OutLines[5]);
    }

    [Fact]
    public async Task Parse_GzipFileAndGzipStdin_GiveTheSameOutputAsPlainText()
    {
        var plain = File.ReadAllBytes(SharedSamples.Path("custom-v5-with-header.log"));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(plain);
        var path = CliRun.TempFile(compressed.ToArray(), ".log.gz");
        try
        {
            var expected = await CliRun.RunAsync(["parse", "--json", SharedSamples.Path("custom-v5-with-header.log")]);
            var fromFile = await CliRun.RunAsync(["parse", "--json", path]);
            var fromStdin = await CliRun.RunAsync(["parse", "--json"], compressed.ToArray());

            Assert.Equal(0, fromFile.ExitCode);
            Assert.Equal(4, fromFile.OutLines.Length);
            Assert.Equal(expected.Out, fromFile.Out);
            Assert.Equal(expected.Out, fromStdin.Out);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Parse_MalformedLines_GoToStderrWithFileAndLineAndExitOne()
    {
        var lines = SharedSamples.Lines("default-v2.log");
        var text = $"{lines[0]}\n{lines[1].Replace(" 49152 ", " 70000 ", StringComparison.Ordinal)}\n\n2 x\n{lines[2]}\n";
        var path = CliRun.TempFile(CliRun.Utf8(text), ".log");
        try
        {
            var run = await CliRun.RunAsync(["parse", "--json", path]);

            Assert.Equal(1, run.ExitCode);
            Assert.Equal(2, run.OutLines.Length);
            JsonLineAssert.Matches(DefaultNames, lines[2], run.OutLines[1]);
            Assert.Equal(
            [
                $"{path}:2: invalid value in field 'dstport': expected a port number 0-65535, found '70000'",
                $"{path}:4: wrong number of fields: expected 14 fields (format {FlowLogs.FlowLogFormat.Default.ToFormatString()}), found 2: \"2 x\"",
            ], run.ErrorLines);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Parse_TextOutput_IsAlignedUnderAHeading()
    {
        var run = await CliRun.RunAsync(["parse", SharedSamples.Path("default-v2.log")]);

        Assert.Equal(0, run.ExitCode);
        var lines = SharedSamples.Lines("default-v2.log");
        Assert.Equal(lines.Length + 1, run.OutLines.Length);
        var heading = run.OutLines[0];
        Assert.Equal(DefaultNames, heading.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        for (var i = 0; i < lines.Length; i++)
        {
            var row = run.OutLines[i + 1];
            Assert.Equal(lines[i].Split(' '), row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            // Text columns start under their heading.
            Assert.Equal(heading.IndexOf("interface-id", StringComparison.Ordinal), row.IndexOf("eni-", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Parse_UnknownFieldInFormat_ExitsTwoWithTheFormatError()
    {
        var run = await CliRun.RunAsync(["parse", "--format", "${version} ${nope}", SharedSamples.Path("default-v2.log")]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("flowmesh parse: invalid --format: unknown field '${nope}' at position 2 of the format; known fields: version,", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_MissingFile_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"flowmesh-missing-{Guid.NewGuid():N}.log");

        var run = await CliRun.RunAsync(["parse", SharedSamples.Path("default-v2.log"), missing]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Equal([$"flowmesh parse: file not found: '{missing}'"], run.ErrorLines);
    }

    [Fact]
    public async Task Parse_CorruptGzip_ReportsTheFileAndExitsOne()
    {
        byte[] corrupt = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0xFF, 0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01];

        var run = await CliRun.RunAsync(["parse"], corrupt);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("<stdin>: cannot read input: ", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("parse", "--json", "--format")]
    public async Task Run_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Run 'flowmesh --help' for usage.", run.Error, StringComparison.Ordinal);
    }
}
