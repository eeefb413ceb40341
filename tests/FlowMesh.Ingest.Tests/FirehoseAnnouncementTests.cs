namespace FlowMesh.Ingest.Tests;

/// <summary>
/// The endpoint announces each authenticated delivery to the pipeline (so a flush about to close
/// early waits for deliveries whose bodies are still arriving) and withdraws the announcement as
/// soon as the delivery has a batch or ends without one. A withdrawal missed before the commit would
/// hold every flush open for its full interval, so each path is checked.
/// </summary>
public sealed class FirehoseAnnouncementTests
{
    private const string Line = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";

    [Fact]
    public async Task Post_Delivery_IsAnnouncedAndWithdrawnBeforeItsBatchIsCommitted()
    {
        await using var server = await IngestTestServer.StartAsync();
        var body = FirehoseRequests.Body("req-announced", FirehoseRequests.Wrapped(Line));

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-announced", body, gzip: true), 200, "req-announced");

        Assert.Equal(1, server.Pipeline.Announcements);
        Assert.Equal(0, Assert.Single(server.Pipeline.Committed).AnnouncedAtCommit);
        Assert.Equal(0, server.Pipeline.Announced);
    }

    [Fact]
    public async Task Post_DeliveriesEndingWithoutACommit_WithdrawEveryAnnouncement()
    {
        await using var server = await IngestTestServer.StartAsync(new Dictionary<string, string?> { ["FlowMesh:Ingest:MaxRequestBodyBytes"] = "1024" });
        server.Pipeline.Applied["req-again"] = true;
        var small = FirehoseRequests.Body("req-again", FirehoseRequests.Wrapped(Line));
        var large = FirehoseRequests.Body("req-big", [.. Enumerable.Repeat(FirehoseRequests.Wrapped(Line), 20)]);

        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-again", small), 200, "req-again");
        Assert.Equal(0, server.Pipeline.Announced);
        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-other", small), 400, "req-other");
        Assert.Equal(0, server.Pipeline.Announced);
        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-big", large), 413, "req-big");
        Assert.Equal(0, server.Pipeline.Announced);
        await FirehoseAssert.SendAsync(server.Client, FirehoseRequests.Post("req-wrong-key", small, accessKey: "nope"), 401, "req-wrong-key");

        Assert.Equal(3, server.Pipeline.Announcements); // an unauthenticated request is never announced
        Assert.Equal(0, server.Pipeline.Announced);
        Assert.Empty(server.Pipeline.Committed);
    }
}
