namespace FlowMesh.Aggregation;

/// <summary>A query window over the one-minute buckets; the value is its length in minutes.</summary>
public enum Window : byte
{
    OneMinute = 1,
    FiveMinutes = 5,
    FifteenMinutes = 15,
    SixtyMinutes = 60,
}

/// <summary>Parsing and formatting of windows as users write them (1m, 5m, 15m, 60m/1h).</summary>
public static class WindowText
{
    public static bool TryParse(string? text, out Window window)
    {
        window = text?.Trim().ToLowerInvariant() switch
        {
            "1m" or "1" => Window.OneMinute,
            "5m" or "5" => Window.FiveMinutes,
            "15m" or "15" => Window.FifteenMinutes,
            "60m" or "60" or "1h" => Window.SixtyMinutes,
            _ => 0,
        };
        return window != 0;
    }

    public static string Format(Window window) => $"{(int)window}m";

    public static int Minutes(this Window window) => (int)window;
}
