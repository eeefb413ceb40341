using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlowMesh.Query.Tests;

/// <summary>Socket-free: what each failure becomes on the wire.</summary>
public sealed class QueryErrorsTests
{
    public static TheoryData<Exception> ClusterFailures => new()
    {
        new SiloUnavailableException("silo S127.0.0.1:11111 is dead"),
        new TimeoutException("response did not arrive on time"),
        new GatewayTooBusyException(),
        new Orleans.Runtime.Messaging.ConnectionFailedException("connection refused"),
        new ChannelClosedException(new SiloUnavailableException("wrapped by a failed poller")),
    };

    [Theory]
    [MemberData(nameof(ClusterFailures))]
    public void ToRpcException_ClusterUnavailable_UnavailableWithAdvice(Exception failure)
    {
        var error = QueryErrors.ToRpcException(failure, new FakeCallContext(), "GetTopContributors", NullLogger.Instance);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("aggregation cluster is unavailable", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("retry in a few seconds", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToRpcException_ValidationFailure_InvalidArgumentWithTheMessage()
    {
        var error = QueryErrors.ToRpcException(new QueryValidationException("limit: 0 is outside 1..100"), new FakeCallContext(), "m", NullLogger.Instance);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("limit: 0 is outside 1..100", error.Status.Detail);
    }

    [Fact]
    public void ToRpcException_CancelledAfterDeadline_DeadlineExceeded()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var context = new FakeCallContext(DateTime.UtcNow.AddSeconds(-1), cancelled.Token);
        var error = QueryErrors.ToRpcException(new OperationCanceledException(cancelled.Token), context, "m", NullLogger.Instance);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public void ToRpcException_UnexpectedFailure_InternalWithoutDetails()
    {
        var error = QueryErrors.ToRpcException(new InvalidOperationException("secret internals"), new FakeCallContext(), "m", NullLogger.Instance);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Detail, StringComparison.Ordinal);
    }

    private sealed class FakeCallContext(DateTime? deadline = null, CancellationToken cancellationToken = default) : ServerCallContext
    {
        protected override string MethodCore => "/flowmesh.v1.FlowMeshQuery/GetTopContributors";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "ipv4:127.0.0.1:1";
        protected override DateTime DeadlineCore => deadline ?? DateTime.MaxValue;
        protected override Metadata RequestHeadersCore => [];
        protected override CancellationToken CancellationTokenCore => cancellationToken;
        protected override Metadata ResponseTrailersCore => [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
