namespace RgLens.Sources;

/// <summary>The registered data sources.</summary>
public static class DataSources
{
    private static readonly (string Id, string Description, Func<SourceContext, IDataSource> Create)[] s_all =
    [
        ("model", "exact samples of the input chain θ0", c => new ModelSource(c.Input)),
        ("null", "independent sites from the fixed point θ*(θ0) with K = 0 (the null-data control)", c => new NullModelSource(c)),
        ("data", "the user's configurations (correspond --data), training part", c => new DataFileSource(c)),
    ];

    /// <summary>Every source id with its description.</summary>
    public static IReadOnlyList<(string Id, string Description)> All => s_all.Select(s => (s.Id, s.Description)).ToArray();

    /// <summary>The source with this id.</summary>
    /// <exception cref="ArgumentException">No such source (the message lists the known ones).</exception>
    public static IDataSource Create(string id, SourceContext context)
    {
        foreach (var s in s_all)
            if (string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase)) return s.Create(context);
        throw new ArgumentException($"unknown data source '{id}'; known: {string.Join(", ", s_all.Select(s => s.Id))}.");
    }
}
