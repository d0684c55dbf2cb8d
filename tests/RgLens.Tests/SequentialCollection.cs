namespace RgLens.Tests;

/// <summary>
/// Tests that measure the whole process (allocation counts, timing-sensitive behaviour) and so
/// must not run beside other tests: xunit runs this collection alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    public const string Name = "Sequential (process-wide measurements)";
}
