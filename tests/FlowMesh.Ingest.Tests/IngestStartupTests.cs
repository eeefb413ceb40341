using FlowMesh.FlowLogs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Tests;

/// <summary>The ingest role refuses to start without an access key, or with a bad setting, and says which to change.</summary>
public sealed class IngestStartupTests
{
    private const string NoKeyMessage =
        "No Firehose access key is configured. Set FlowMesh:Ingest:AccessKey to the key of the delivery stream " +
        "(environment FlowMesh__Ingest__AccessKey, or --FlowMesh:Ingest:AccessKey=<key>); " +
        "for local development only, start with --insecure-no-access-key (FlowMesh:Ingest:AllowInsecureNoAccessKey=true).";

    private static async Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> settings)
    {
        // Mapping the endpoint reads the options, so validation may already refuse there, before StartAsync.
        return await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = IngestTestServer.Build(settings, null, null, out _, out _);
            await app.StartAsync(TestContext.Current.CancellationToken);
        });
    }

    [Fact]
    public async Task Start_WithoutAccessKey_RefusesWithInstructions()
    {
        var error = await StartFailsAsync(new() { ["FlowMesh:Ingest:AccessKey"] = null });

        Assert.Equal([NoKeyMessage], error.Failures);
    }

    [Fact]
    public async Task Start_WithBlankAccessKeys_RefusesWithInstructions()
    {
        var error = await StartFailsAsync(new() { ["FlowMesh:Ingest:AccessKey"] = "", ["FlowMesh:Ingest:AccessKeys:0"] = "" });

        Assert.Equal([NoKeyMessage], error.Failures);
    }

    [Fact]
    public async Task Start_WithInvalidConfiguredFormat_RefusesWithTheParserMessage()
    {
        const string invalid = "${version} ${bogus}";
        var reason = Assert.Throws<FlowLogFormatException>(() => FlowLogFormat.Parse(invalid)).Message;

        var error = await StartFailsAsync(new() { ["FlowMesh:Ingest:LogFormats:flowlogs"] = invalid });

        Assert.Equal([$"FlowMesh:Ingest:LogFormats:flowlogs is not a valid flow-log format: {reason}"], error.Failures);
    }

    [Fact]
    public async Task Start_WithBadLimitsAndPath_ListsEverySettingToChange()
    {
        var error = await StartFailsAsync(new()
        {
            ["FlowMesh:Ingest:Path"] = "v1/firehose",
            ["FlowMesh:Ingest:Port"] = "70000",
            ["FlowMesh:Ingest:MaxRequestBodyBytes"] = "0",
            ["FlowMesh:Ingest:MalformedExamplesKept"] = "-1",
            ["FlowMesh:Ingest:MaxConcurrentDecodes"] = "-2",
        });

        Assert.Equal(
        [
            "FlowMesh:Ingest:Path must start with '/' (was 'v1/firehose'); default /v1/firehose.",
            "FlowMesh:Ingest:Port must be between 0 and 65535 (was 70000); default 8080.",
            "FlowMesh:Ingest:MaxRequestBodyBytes must be positive (was 0); default 67108864.",
            "FlowMesh:Ingest:MalformedExamplesKept must be 0 or more (was -1).",
            "FlowMesh:Ingest:MaxConcurrentDecodes must be 0 (half the processors) or more (was -2).",
        ], error.Failures);
    }

    [Fact]
    public async Task Start_InsecureSwitchWithoutKey_StartsWarnsAndAcceptsDeliveriesWithoutKey()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?>
        {
            ["FlowMesh:Ingest:AccessKey"] = null,
            ["FlowMesh:Ingest:AllowInsecureNoAccessKey"] = "true",
        });
        var body = FirehoseRequests.Body("req-insecure", FirehoseRequests.Wrapped("2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1418530010 1418530070 ACCEPT OK"));

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-insecure", body, accessKey: null), 200, "req-insecure");

        var warning = Assert.Single(server.Logs.Entries, entry => entry.EventId.Name == "InsecureNoAccessKey");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Single(server.Pipeline.Committed);
    }

    [Fact]
    public async Task Start_InsecureSwitchWithKey_StillRequiresTheKey()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:AllowInsecureNoAccessKey"] = "true" });
        var body = FirehoseRequests.Body("req-k", FirehoseRequests.Wrapped("2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1418530010 1418530070 ACCEPT OK"));

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-k", body, accessKey: null), 401, "req-k");

        Assert.DoesNotContain(server.Logs.Entries, entry => entry.EventId.Name == "InsecureNoAccessKey");
    }
}
