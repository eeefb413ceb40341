using FlowMesh.Grains;
using FlowMesh.Query.Tests.Cli;
using Grpc.Core;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query.Tests;

/// <summary>Malformed-record inspection: reports from two ingest processes, read over gRPC and with the CLI.</summary>
[Collection(QueryServerGroup.Name)]
public sealed class IngestErrorsTests(QueryServerFixture server)
{
    private static readonly DateTimeOffset T = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetIngestErrors_TwoProcessesReported_CountsSummedLatestFirstOverGrpcAndCli()
    {
        var grain = server.Grains.GetGrain<IIngestErrorsGrain>(GrainKeys.IngestErrors);
        const string stream = "arn:aws:firehose:us-east-1:123456789012:deliverystream/flowlogs";
        await grain.ReportAsync(new IngestErrorReport("ingest-a", DateTimeOffset.UtcNow,
            [new IngestErrorCount(stream, "field_count", 7), new IngestErrorCount(stream, "invalid_value", 2)],
            [Example(T, "req-1", "field_count", null, "expected 14 fields (format ${version} …), found 13"),
             Example(T.AddSeconds(2), "req-2", "invalid_value", "dstport", "expected a port number 0-65535, found '70000'")]));
        await grain.ReportAsync(new IngestErrorReport("ingest-b", DateTimeOffset.UtcNow,
            [new IngestErrorCount(stream, "field_count", 5)],
            [Example(T.AddSeconds(1), "req-3", "field_count", null, "expected 14 fields (format ${version} …), found 2")]));

        var errors = await server.Client.GetIngestErrorsAsync(new V1.GetIngestErrorsRequest { Limit = 2 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(14, errors.Total);
        Assert.Equal(2, errors.IngestProcesses);
        Assert.Equal([("field_count", 12L), ("invalid_value", 2L)], errors.Counts.Select(c => (c.Reason, c.Count)));
        Assert.Equal(["req-2", "req-3"], errors.Latest.Select(e => e.RequestId));
        Assert.Equal("dstport", errors.Latest[0].Field);
        Assert.Equal("70000", errors.Latest[0].Text);

        var (exit, output, error) = await CliRunner.RunAsync("ingest-errors", "--server", server.Address.ToString(), "--limit", "3", "--json");
        Assert.True(exit == 0, error);
        var json = CliRunner.Json(output.Trim());
        Assert.Equal(14, json.GetProperty("total").GetInt64());
        Assert.Equal(["req-2", "req-3", "req-1"], json.GetProperty("latest").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()));
        Assert.Equal(12, json.GetProperty("counts")[0].GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task GetIngestErrors_LimitTooLarge_InvalidArgumentNamingLimit()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetIngestErrorsAsync(
            new V1.GetIngestErrorsRequest { Limit = 5000 }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("limit: 5000", e.Status.Detail, StringComparison.Ordinal);
    }

    private static IngestErrorExample Example(DateTimeOffset at, string requestId, string reason, string? field, string message) =>
        new(at, "arn:aws:firehose:us-east-1:123456789012:deliverystream/flowlogs", requestId, 0, 1, reason, field, message, field is null ? "2 123" : "70000");
}
