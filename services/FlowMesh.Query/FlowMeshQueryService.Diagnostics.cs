using FlowMesh.Alerts.Diagnostics;
using FlowMesh.Grains;
using Grpc.Core;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query;

internal sealed partial class FlowMeshQueryService
{
    /// <summary>
    /// Asks the two address grains (each holds every row that mentions its address, both directions,
    /// with the interface that logged it), merges their records and lets <see cref="ConnectionDiagnoser"/>
    /// conclude. Two grain calls, however many interfaces the flow logs cover.
    /// </summary>
    public override async Task<V1.ConnectionDiagnosis> DiagnoseConnection(V1.DiagnoseConnectionRequest request, ServerCallContext context)
    {
        var question = ProtoMapping.ToDiagnosis(request);
        var fromClient = grains.GetGrain<IAddressGrain>(GrainKeys.Address(question.Client)).GetConnectionRecordsAsync(question.Server);
        var fromServer = grains.GetGrain<IAddressGrain>(GrainKeys.Address(question.Server)).GetConnectionRecordsAsync(question.Client);
        var both = await Task.WhenAll(fromClient, fromServer).WaitAsync(context.CancellationToken);
        var (client, server) = (both[0], both[1]);

        var records = ConnectionEvidenceMerge.Merge(client.Records, server.Records);
        var diagnosis = ConnectionDiagnoser.Diagnose(question.Client, question.Server, question.Port, question.Protocol, records.Select(ConnectionEvidenceMerge.ToObservation));
        var notes = new List<string>();
        if (diagnosis.Verdict == DiagnosisVerdict.NoRecords)
        {
            notes.Add(Seen(question.Client, client.AddressSeen));
            notes.Add(Seen(question.Server, server.AddressSeen));
        }
        if (client.Evicted || server.Evicted)
            notes.Add("older connection records of a busy address were dropped to stay within FlowMesh:Aggregation:ConnectionRecordsPerAddress, so an absence is less conclusive");
        return ProtoMapping.ToProto(notes.Count == 0 ? diagnosis : diagnosis with { Evidence = [.. diagnosis.Evidence, .. notes] }, records);
    }

    private static string Seen(FlowLogs.FlowAddress address, bool seen) => seen
        ? $"{address} appears in other flow-log records of the retained hour, so a flow log covers at least one of its interfaces"
        : $"{address} appears in no flow-log record of the retained hour: no flow log delivering to FlowMesh covers its interface, or its capture filter excludes this traffic";
}

/// <summary>The two address grains hold the same rows; each record is kept once.</summary>
internal static class ConnectionEvidenceMerge
{
    public static IReadOnlyList<ConnectionRecord> Merge(IReadOnlyList<ConnectionRecord> first, IReadOnlyList<ConnectionRecord> second)
    {
        // Same key in both: the grains were fed the same rows, but one may have dropped and re-learnt an
        // entry, so the larger (older, more complete) one wins rather than the two being summed.
        var merged = new Dictionary<ConnectionRecord, ConnectionRecord>(KeyComparer.Instance);
        foreach (var record in first.Concat(second))
        {
            if (!merged.TryGetValue(record, out var existing) || record.Flows > existing.Flows) merged[record] = record;
        }
        return [.. merged.Values.OrderBy(r => r.FirstMinute).ThenByDescending(r => r.Flows)];
    }

    public static FlowObservation ToObservation(ConnectionRecord r) => new(
        r.InterfaceId ?? "-", r.Source, r.Destination, r.SourcePort, r.DestinationPort, r.Protocol, r.Action, r.Direction,
        r.TcpFlags == 0 ? null : r.TcpFlags, r.RejectReason, r.Packets, r.Bytes, r.FirstMinute * 60, (r.LastMinute * 60) + 59, r.Flows,
        r.HighestDestinationPort);

    private sealed class KeyComparer : IEqualityComparer<ConnectionRecord>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(ConnectionRecord? x, ConnectionRecord? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null
                && x.InterfaceId == y.InterfaceId && x.Source == y.Source && x.Destination == y.Destination
                && x.SourcePort == y.SourcePort && x.DestinationPort == y.DestinationPort && x.Protocol == y.Protocol
                && x.Action == y.Action && x.Direction == y.Direction && x.RejectReason == y.RejectReason);

        public int GetHashCode(ConnectionRecord r) =>
            HashCode.Combine(r.InterfaceId, r.Source, r.Destination, r.SourcePort, r.DestinationPort, r.Protocol, r.Action, HashCode.Combine(r.Direction, r.RejectReason));
    }
}
