using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf.WellKnownTypes;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Cli.Querying;

/// <summary>
/// The --json shapes of top, watch, eni and ip: snake_case names that do not change with the
/// protobuf contract, numbers as numbers, times as ISO 8601 UTC strings, one object per line.
/// </summary>
internal static class QueryJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Relaxed escaping: the output is for tools and terminals, never embedded in HTML ("->" stays readable).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static TopJson From(V1.TopContributorsSnapshot s, ulong? sequence = null) => new(
        sequence, s.Scope, QueryNames.Format(s.Dimension), QueryNames.Format(s.Metric), QueryNames.Format(s.Window),
        Time(s.WindowStart), Time(s.WindowEnd), s.Exact, s.Version, Time(s.LastUpdated), Time(s.CoverageStart),
        s.Filter is null ? null : new FilterJson(
            s.Filter.Action == V1.FlowAction.Unspecified ? null : s.Filter.Action == V1.FlowAction.Accept ? "accept" : "reject",
            s.Filter.HasProtocol ? s.Filter.Protocol : null, s.Filter.HasDestinationPort ? s.Filter.DestinationPort : null),
        From(s.Totals), Contributors(s.Contributors));

    public static InterfaceJson From(V1.InterfaceSummary s) => new(
        s.InterfaceId, Text(s.AccountId), Text(s.VpcId), Text(s.SubnetId), Text(s.InstanceId),
        Time(s.FirstSeen), Time(s.LastSeen), QueryNames.Format(s.Window), From(s.Totals), s.AcceptSeen, s.RejectSeen,
        [.. s.LocalAddresses], Contributors(s.TopPeers), Contributors(s.TopDestinationPorts), Contributors(s.TopProtocols),
        s.LateFlows, s.Version, CaptureFilterName(s.CaptureFilter), Text(s.CaptureAdvice));

    private static string CaptureFilterName(V1.CaptureFilter filter) => filter switch
    {
        V1.CaptureFilter.Both => "both",
        V1.CaptureFilter.ProbablyAcceptOnly => "probably_accept_only",
        V1.CaptureFilter.ProbablyRejectOnly => "probably_reject_only",
        _ => "undetermined",
    };

    public static AddressJson From(V1.AddressSummary s) => new(
        s.Address, Time(s.FirstSeen), Time(s.LastSeen), QueryNames.Format(s.Window), From(s.AsSource), From(s.AsDestination),
        s.LateFlows, s.Version);

    private static AddressRoleJson From(V1.AddressRoleSummary? role) => role is null
        ? new AddressRoleJson(From((V1.TrafficTotals?)null), [], [], [])
        : new AddressRoleJson(From(role.Totals), Contributors(role.TopPeers), Contributors(role.TopDestinationPorts), Contributors(role.TopInterfaces));

    private static TotalsJson From(V1.TrafficTotals? t)
    {
        t ??= new V1.TrafficTotals();
        return new TotalsJson(t.Flows, t.Packets, t.Bytes, t.AcceptedFlows, t.AcceptedPackets, t.AcceptedBytes,
            t.RejectedFlows, t.RejectedPackets, t.RejectedBytes, t.NoDataRecords, t.SkipDataRecords, t.RejectRate);
    }

    private static ContributorJson[] Contributors(IEnumerable<V1.Contributor> contributors) =>
        contributors.Select((c, i) => new ContributorJson(
            i + 1, c.Label, c.Value, c.ErrorBound, c.Share,
            c.KeyCase == V1.Contributor.KeyOneofCase.Address ? c.Address : null,
            c.AddressPair?.Source, c.AddressPair?.Destination,
            c.KeyCase == V1.Contributor.KeyOneofCase.InterfaceId ? c.InterfaceId : null,
            c.KeyCase == V1.Contributor.KeyOneofCase.DestinationPort ? c.DestinationPort : null,
            c.KeyCase == V1.Contributor.KeyOneofCase.Protocol ? c.Protocol : null)).ToArray();

    private static string? Time(Timestamp? t) => t?.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string? Text(string s) => s.Length == 0 ? null : s;
}

/// <summary>One top-N answer (top), or one stream update (watch, with <see cref="Sequence"/>).</summary>
internal sealed record TopJson(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ulong? Sequence,
    string Scope, string Dimension, string Metric, string Window, string? WindowStart, string? WindowEnd, bool Exact,
    long Version, string? LastUpdated, string? CoverageStart, FilterJson? Filter, TotalsJson Totals, ContributorJson[] Contributors);

internal sealed record FilterJson(string? Action, uint? Protocol, uint? Port);

internal sealed record TotalsJson(
    long Flows, long Packets, long Bytes, long AcceptedFlows, long AcceptedPackets, long AcceptedBytes,
    long RejectedFlows, long RejectedPackets, long RejectedBytes, long NodataRecords, long SkipdataRecords, double RejectRate);

/// <summary>A ranked contributor; exactly one of the typed key groups is present, per dimension.</summary>
internal sealed record ContributorJson(
    int Rank, string Key, long Value, long ErrorBound, double Share,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Address,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Source,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Destination,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InterfaceId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? Port,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] uint? Protocol);

internal sealed record InterfaceJson(
    string InterfaceId, string? AccountId, string? VpcId, string? SubnetId, string? InstanceId, string? FirstSeen, string? LastSeen,
    string Window, TotalsJson Totals, bool AcceptSeen, bool RejectSeen, string[] LocalAddresses, ContributorJson[] TopPeers,
    ContributorJson[] TopDestinationPorts, ContributorJson[] TopProtocols, long LateFlows, long Version, string CaptureFilter, string? CaptureAdvice);

internal sealed record AddressRoleJson(TotalsJson Totals, ContributorJson[] TopPeers, ContributorJson[] TopDestinationPorts, ContributorJson[] TopInterfaces);

internal sealed record AddressJson(
    string Address, string? FirstSeen, string? LastSeen, string Window, AddressRoleJson AsSource, AddressRoleJson AsDestination,
    long LateFlows, long Version);
