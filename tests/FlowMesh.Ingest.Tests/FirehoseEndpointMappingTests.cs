using System.Net;
using FlowMesh.Testing;

namespace FlowMesh.Ingest.Tests;

/// <summary>The endpoint is served on the ingest port only, so the gRPC port never answers Firehose.</summary>
public sealed class FirehoseEndpointMappingTests
{
    [Fact]
    public async Task Post_OnAnotherPortOfTheSameHost_Answers404()
    {
        var ingestPort = TestPorts.Next();
        var otherPort = TestPorts.Next();
        await using var server = await IngestTestServer.StartAsync(
            new Dictionary<string, string?> { ["FlowMesh:Ingest:Port"] = ingestPort.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            listen: kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, ingestPort);
                kestrel.Listen(IPAddress.Loopback, otherPort);
            });
        var body = FirehoseRequests.Body("req-port", FirehoseRequests.Wrapped("2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1418530010 1418530070 ACCEPT OK"));
        using var client = new HttpClient();

        using var onOther = await client.SendAsync(WithPort(FirehoseRequests.Post("req-port", body), otherPort), TestContext.Current.CancellationToken);
        await FirehoseAssert.SendAsync(client, WithPort(FirehoseRequests.Post("req-port", body), ingestPort), 200, "req-port");

        Assert.Equal(HttpStatusCode.NotFound, onOther.StatusCode);
        Assert.Single(server.Pipeline.Committed);
    }

    private static HttpRequestMessage WithPort(HttpRequestMessage request, int port)
    {
        request.RequestUri = new Uri($"http://127.0.0.1:{port}{FirehoseRequests.Path}");
        return request;
    }

}
