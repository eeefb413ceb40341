using FlowMesh.FlowLogs;

namespace FlowMesh.LoadTest;

/// <summary>
/// How many grains of each kind the delivered lines must activate, counted straight from the
/// generated records and the fields the written format carries: one address grain per distinct
/// source or destination address, one interface grain per interface id, one leaderboard per scope
/// (<c>all</c>, each account, each VPC). Also the distinct minutes the records count in (the minute
/// of their start): each grain keeps a board per minute, so memory per grain depends on how many
/// minutes a run's records span (two: the harness pins the generator's clock, see <see cref="LoadRun"/>).
/// </summary>
internal sealed class ExpectedGrains
{
    private readonly HashSet<FlowAddress> _addresses = [];
    private readonly HashSet<string> _interfaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _scopes = new(StringComparer.Ordinal) { "all" };
    private readonly HashSet<long> _minutes = [];

    public int Addresses => _addresses.Count;
    public int Interfaces => _interfaces.Count;
    public int Leaderboards => _scopes.Count;
    public int Minutes => _minutes.Count;

    /// <summary>Counts a record written in <paramref name="format"/>; <paramref name="dataSet"/> false leaves its minute out (a freshness probe).</summary>
    public void Add(in FlowRecord r, FlowLogFormat format, bool dataSet = true)
    {
        if (format.FieldSet.Contains(FlowField.SrcAddr) && !r.SrcAddr.IsAbsent) _addresses.Add(r.SrcAddr);
        if (format.FieldSet.Contains(FlowField.DstAddr) && !r.DstAddr.IsAbsent) _addresses.Add(r.DstAddr);
        if (format.FieldSet.Contains(FlowField.InterfaceId) && r.InterfaceId is { } eni) _interfaces.Add(eni);
        if (format.FieldSet.Contains(FlowField.AccountId) && r.AccountId is { } account) _scopes.Add("account:" + account);
        if (format.FieldSet.Contains(FlowField.VpcId) && r.VpcId is { } vpc) _scopes.Add("vpc:" + vpc);
        if (dataSet && format.FieldSet.Contains(FlowField.Start) && r.Has(FlowField.Start)) _minutes.Add(Math.DivRem(r.Start, 60).Quotient);
    }

    public int For(string kind) => kind switch
    {
        "address" => Addresses,
        "interface" => Interfaces,
        "leaderboard" => Leaderboards,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown grain kind"),
    };
}
