namespace FlowMesh.Aggregation.Batching;

/// <summary>
/// Leaderboard scopes and their canonical text keys: <c>all</c>, <c>account:&lt;id&gt;</c>,
/// <c>vpc:&lt;id&gt;</c>. Every row counts in "all", in its account's scope (when the record
/// carries account-id) and in its VPC's scope (when it carries vpc-id).
/// </summary>
public static class LeaderboardScope
{
    public const string All = "all";
    private const string AccountPrefix = "account:";
    private const string VpcPrefix = "vpc:";

    public static string ForAccount(string accountId) => AccountPrefix + accountId;

    public static string ForVpc(string vpcId) => VpcPrefix + vpcId;

    /// <summary>Validates and normalises a scope typed by a user or sent by a client.</summary>
    public static bool TryNormalize(string? scope, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(scope) || scope.Trim() == All)
        {
            normalized = All;
            return true;
        }
        scope = scope.Trim();
        if ((scope.StartsWith(AccountPrefix, StringComparison.Ordinal) && scope.Length > AccountPrefix.Length)
            || (scope.StartsWith(VpcPrefix, StringComparison.Ordinal) && scope.Length > VpcPrefix.Length))
        {
            normalized = scope;
            return true;
        }
        return false;
    }
}
