using FlowMesh.Alerts.Rules;
using FlowMesh.Grains;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query;

/// <summary>
/// The gRPC adapter: validate and map the request, call the grain (or join the shared stream),
/// map the answer. Failures become status codes in <see cref="QueryInterceptor"/>.
/// </summary>
internal sealed partial class FlowMeshQueryService(IGrainFactory grains, TopContributorsStreamHub hub, QueryMetrics metrics, AlertRuleSet alertRules, IHostApplicationLifetime lifetime)
    : V1.FlowMeshQuery.FlowMeshQueryBase
{
    public override async Task<V1.TopContributorsSnapshot> GetTopContributors(V1.TopContributorsRequest request, ServerCallContext context)
    {
        var top = ProtoMapping.ToTopQuery(request);
        var snapshot = await top.Target.Grain(grains).GetTopContributorsAsync(top.Query).WaitAsync(context.CancellationToken);
        return ProtoMapping.ToProto(snapshot, top.Target);
    }

    public override async Task StreamTopContributors(
        V1.StreamTopContributorsRequest request, IServerStreamWriter<V1.TopContributorsUpdate> responseStream, ServerCallContext context)
    {
        var key = ProtoMapping.ToStreamKey(request);
        await using var subscription = hub.Subscribe(key);
        ulong sequence = 0;
        // The slot holds only the newest snapshot: while this write waits on a slow client, newer
        // snapshots replace each other and the next read gets the latest one.
        await foreach (var snapshot in subscription.Reader.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(ProtoMapping.ToUpdate(++sequence, snapshot, key.Target), context.CancellationToken);
            metrics.SnapshotPushed();
        }
    }

    public override async Task<V1.InterfaceSummary> DescribeInterface(V1.DescribeInterfaceRequest request, ServerCallContext context)
    {
        var (interfaceId, window, limit) = ProtoMapping.ToDescribe(request);
        var summary = await grains.GetGrain<IInterfaceGrain>(GrainKeys.Interface(interfaceId)).DescribeAsync(window, limit).WaitAsync(context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound,
                $"interface_id: no flow logs have been received for {interfaceId} in the retained hour; check the id and that its flow log delivers to FlowMesh"));
        return ProtoMapping.ToProto(summary);
    }

    public override async Task<V1.AddressSummary> DescribeAddress(V1.DescribeAddressRequest request, ServerCallContext context)
    {
        var (address, window, limit) = ProtoMapping.ToDescribe(request);
        var summary = await grains.GetGrain<IAddressGrain>(GrainKeys.Address(address)).DescribeAsync(window, limit).WaitAsync(context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound,
                $"address: no flow logs mentioning {address} have been received in the retained hour"));
        return ProtoMapping.ToProto(summary);
    }

    public override async Task<V1.IngestErrors> GetIngestErrors(V1.GetIngestErrorsRequest request, ServerCallContext context)
    {
        var limit = ProtoMapping.ToIngestErrorsLimit(request);
        var summary = await grains.GetGrain<IIngestErrorsGrain>(GrainKeys.IngestErrors).GetSummaryAsync(limit).WaitAsync(context.CancellationToken);
        return ProtoMapping.ToProto(summary);
    }
}
