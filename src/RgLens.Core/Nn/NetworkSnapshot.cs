namespace RgLens.Nn;

/// <summary>The network as it was after <paramref name="Step"/> optimizer steps ("checkpoints along training").</summary>
/// <param name="Step">Steps completed (0: the initial network).</param>
/// <param name="Epoch">The epoch in progress, counting from 1 (0 for the initial network).</param>
/// <param name="Network">An independent copy of the weights at that step.</param>
public sealed record NetworkSnapshot(long Step, int Epoch, Network Network);
