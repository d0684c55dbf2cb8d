using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RgLens.Data;

namespace RgLens.Networks;

/// <summary>
/// An ONNX model as an <see cref="INetworkSource"/>, run by ONNX Runtime (no operator is
/// re-implemented here). Its layers are, by default, the outputs of every activation node
/// (<see cref="ActivationOps"/>) in the graph's topological order, except those that are already
/// graph outputs; or the tensors (or nodes) named by the caller. To see them, the model is read,
/// the layers are appended to the graph's outputs, and the edited bytes go to ONNX Runtime.
/// The model must have one float input of shape [batch, N] (or [batch, d1, d2, …] with fixed
/// d's, fed row by row from samples × (d1·d2·…)); its first graph output is the final output.
/// </summary>
public sealed class OnnxNetworkSource : INetworkSource
{
    /// <summary>The op types whose outputs are layers by default.</summary>
    public static readonly IReadOnlySet<string> ActivationOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "Tanh", "Relu", "Sigmoid", "LeakyRelu", "Elu", "Selu", "Celu", "Gelu", "Softplus", "Softsign",
        "HardSigmoid", "HardSwish", "PRelu", "ThresholdedRelu", "Mish", "Softmax", "LogSoftmax",
    };

    /// <summary>Rows per call to ONNX Runtime when the model's batch axis is free.</summary>
    private const int ChunkRows = 4096;

    private readonly InferenceSession _session;
    private readonly string _inputName, _outputName;
    private readonly int[] _inputDims;
    private readonly string[] _layers;
    private readonly Dictionary<string, string> _operation;
    private readonly IReadOnlyDictionary<string, string> _metadata;

    /// <summary>Reads and prepares the model at <paramref name="path"/>.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="layers">Tensor names (or node names) to return; null for every activation's output.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads.</param>
    /// <exception cref="DataFormatException">Not an ONNX model, truncated, a model ONNX Runtime refuses, an unsupported input, or an unknown layer name.</exception>
    public OnnxNetworkSource(string path, IReadOnlyList<string>? layers = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Path = path;
        byte[] model = ReadModel(path);
        var graph = OnnxGraph.Read(model, path);
        if (graph.Outputs.Count == 0) throw new DataFormatException($"'{path}': the ONNX graph has no outputs.");
        _outputName = graph.Outputs[0];
        _metadata = graph.Metadata;
        _operation = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
            foreach (string o in node.Outputs)
                if (o.Length > 0) _operation.TryAdd(o, node.OpType);
        _layers = layers is null ? DefaultLayers(graph) : Resolve(graph, layers, path);

        var extra = _layers.Where(l => !graph.Outputs.Contains(l)).ToList();
        var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
        try
        {
            _session = new InferenceSession(OnnxGraph.WithOutputs(model, extra), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new DataFormatException($"'{path}': ONNX Runtime cannot load the model ({FirstLine(e.Message)}).", e);
        }
        finally
        {
            options.Dispose();
        }
        try
        {
            if (_session.InputMetadata.Count != 1)
                throw new DataFormatException($"'{path}' takes {_session.InputMetadata.Count} inputs ({string.Join(", ", _session.InputMetadata.Keys)}); RgLens feeds models with one input.");
            var (name, meta) = _session.InputMetadata.First();
            _inputName = name;
            if (!meta.IsTensor || meta.ElementType != typeof(float))
                throw new DataFormatException($"'{path}': input '{name}' is {meta.ElementType.Name}; RgLens feeds float32 inputs.");
            _inputDims = meta.Dimensions;
            if (_inputDims.Length < 2)
                throw new DataFormatException($"'{path}': input '{name}' has {_inputDims.Length} axis(es); RgLens feeds [batch, N] (or [batch, d1, …]).");
            if (_inputDims.Length > 2 && _inputDims.Skip(1).Any(d => d <= 0))
                throw new DataFormatException($"'{path}': input '{name}' has shape [{string.Join(", ", _inputDims)}]; only the batch axis may be free when there are more than two.");
            InputWidth = _inputDims[1..].All(d => d > 0) ? _inputDims[1..].Aggregate(1, (a, b) => checked(a * b)) : null;
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public NetworkFormat Format => NetworkFormat.Onnx;

    /// <inheritdoc />
    public int? InputWidth { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Layers => _layers;

    /// <inheritdoc />
    /// <exception cref="OperationCanceledException">The run's token (<see cref="RunCancellation"/>) was cancelled, before a chunk of rows or while ONNX Runtime ran one.</exception>
    public NetworkOutputs Run(SampleMatrix<float> input)
    {
        NetworkSources.CheckInput(input, InputWidth);
        int rows = input.Rows, n = input.Columns;
        int batch = _inputDims[0] > 0 ? _inputDims[0] : Math.Min(rows, ChunkRows);
        string[] names = [.. _layers, .. _layers.Contains(_outputName) ? Array.Empty<string>() : [_outputName]];
        // Each tensor goes straight from OnnxRuntime's buffer into its samples × units matrix,
        // allocated once its per-sample size is known: one copy, no growing lists.
        var data = new SampleMatrix<float>?[names.Length];
        var shapes = new long[names.Length][];
        // The run's cancellation (docs/reliability.md, "Signals") is looked at before every chunk,
        // and stops a chunk ONNX Runtime is running: its terminate flag, set from the thread that
        // cancels, makes Run return (with an error) before the next node.
        var cancellation = RunCancellation.Token;
        using var runOptions = new RunOptions();
        using var terminate = cancellation.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
        for (int r0 = 0; r0 < rows; r0 += batch)
        {
            cancellation.ThrowIfCancellationRequested();
            int take = Math.Min(batch, rows - r0);
            var chunk = new float[batch * n]; // zero-padded when the model's batch axis is fixed
            input.Data.AsSpan(r0 * n, take * n).CopyTo(chunk);
            int[] dims = _inputDims.Length == 2 ? [batch, n] : [batch, .. _inputDims[1..]];
            var tensor = new DenseTensor<float>(chunk, dims);
            using var results = RunChunk([NamedOnnxValue.CreateFromTensor(_inputName, tensor)], names, runOptions, cancellation);
            int k = 0;
            foreach (var result in results)
            {
                if (result.Value is not Tensor<float> t)
                    throw new DataFormatException($"'{Path}': tensor '{names[k]}' is not float32; name a float tensor as a layer.");
                var d = t.Dimensions;
                if (d.Length == 0 || d[0] != batch)
                    throw new DataFormatException($"'{Path}': tensor '{names[k]}' has shape [{string.Join(", ", d.ToArray())}], without the batch axis first; it cannot be read per sample.");
                if (shapes[k] is null)
                {
                    shapes[k] = [rows, .. d[1..].ToArray().Select(x => (long)x)];
                    long units = shapes[k][1..].Aggregate(1L, (a, b) => a * b);
                    MemoryBudget.RequireMatrix($"tensor '{names[k]}'", rows, units, sizeof(float));
                    data[k] = new SampleMatrix<float>(rows, (int)units);
                }
                int per = data[k]!.Columns;
                if (t.Length != (long)batch * per)
                    throw new DataFormatException($"'{Path}': tensor '{names[k]}' changes its shape between batches; it cannot be read per sample.");
                var target = data[k]!.Data.AsSpan(r0 * per, take * per);
                if (t is DenseTensor<float> dense) dense.Buffer.Span[..(take * per)].CopyTo(target);
                else t.ToArray().AsSpan(0, take * per).CopyTo(target);
                k++;
            }
        }
        LayerOutput Make(int i) =>
            new(names[i], _operation.GetValueOrDefault(names[i], "input"), data[i]!, shapes[i]) { Channels = Channels(names[i], shapes[i], data[i]!.Columns) };
        var layers = Enumerable.Range(0, _layers.Length).Select(Make).ToList();
        var output = Make(Array.IndexOf(names, _outputName));
        return new NetworkOutputs(layers, output);
    }

    /// <summary>One call to ONNX Runtime; a call ended by the terminate flag becomes <see cref="OperationCanceledException"/>.</summary>
    private IDisposableReadOnlyCollection<DisposableNamedOnnxValue> RunChunk(IReadOnlyCollection<NamedOnnxValue> inputs, string[] names,
        RunOptions options, CancellationToken cancellation)
    {
        try
        {
            return _session.Run(inputs, names, options);
        }
        catch (OnnxRuntimeException e) when (cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException("the run was cancelled while ONNX Runtime ran the model.", e, cancellation);
        }
    }

    /// <summary>The layout the model's metadata records for <paramref name="name"/> (when it fits the tensor), else that of an NCW shape.</summary>
    private ChannelLayout? Channels(string name, long[] shape, long units) =>
        _metadata.TryGetValue(ChannelLayout.MetadataPrefix + name, out string? text) && ChannelLayout.FromMetadata(text) is { } recorded && recorded.Units == units
            ? recorded
            : ChannelLayout.OfShape(shape);

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    /// <summary>
    /// The default layers of the model at <paramref name="path"/> (each activation node's output) with
    /// the tensor each activation reads (its pre-activation), in topological order.
    /// </summary>
    /// <exception cref="DataFormatException">The file cannot be read or is not ONNX.</exception>
    public static IReadOnlyList<(string Activation, string PreActivation, string Operation)> ActivationLayers(string path)
    {
        byte[] model = ReadModel(path);
        var graph = OnnxGraph.Read(model, path);
        var defaults = DefaultLayers(graph).ToHashSet(StringComparer.Ordinal);
        return graph.Nodes.Where(n => ActivationOps.Contains(n.OpType) && n.Outputs.Count > 0 && defaults.Contains(n.Outputs[0]) && n.Inputs.Count > 0 && n.Inputs[0].Length > 0)
            .Select(n => (n.Outputs[0], n.Inputs[0], n.OpType)).DistinctBy(t => t.Item1).ToArray();
    }

    /// <summary>
    /// The layers named by the user, node names replaced by their first output: a tensor that is an
    /// activation node's output is read as that activation with its input as the pre-activation, as the default layers
    /// are; any other tensor is read as both (pre-activation and activation alike).
    /// </summary>
    public static IReadOnlyList<(string Activation, string PreActivation, string Operation)> NamedLayers(string path, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var graph = OnnxGraph.Read(ReadModel(path), path);
        var activations = graph.Nodes.Where(n => ActivationOps.Contains(n.OpType) && n.Outputs.Count > 0 && n.Inputs.Count > 0 && n.Inputs[0].Length > 0).ToArray();
        var tensors = graph.Nodes.SelectMany(n => n.Outputs).ToHashSet(StringComparer.Ordinal);
        // A node's name stands for its first output (names that are neither pass through, for Open to refuse with the list).
        string Tensor(string name) => tensors.Contains(name) ? name : graph.Nodes.FirstOrDefault(n => n.Name == name && n.Outputs.Count > 0)?.Outputs[0] ?? name;
        return names.Select(Tensor).Select(name => activations.FirstOrDefault(n => n.Outputs[0] == name) is { } node
            ? (name, node.Inputs[0], node.OpType) : (name, name, "")).ToArray();
    }

    /// <summary>
    /// For each of <paramref name="tensors"/>, the stored weights of the dense layers from the
    /// graph input to it (<see cref="OnnxDenseWeights"/>), or null where the path is not such a chain.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<DenseWeights>?> DenseChains(string path, IReadOnlyList<string> tensors, int inputWidth) =>
        OnnxDenseWeights.Chains(ReadModel(path), path, tensors, inputWidth);

    /// <summary>The model's bytes, after the checks every input file passes.</summary>
    private static byte[] ReadModel(string path)
    {
        IO.InputFile.Require(path, "network file");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"'{path}' cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>Every activation's output but the network's own (the graph's first output); an activation that is a further graph output (a model returning its features too) is a layer.</summary>
    private static string[] DefaultLayers(OnnxGraph graph) =>
        graph.Nodes.Where(n => ActivationOps.Contains(n.OpType))
            .SelectMany(n => n.Outputs.Take(1))
            .Where(o => o.Length > 0 && o != graph.Outputs.FirstOrDefault())
            .Distinct().ToArray();

    private static readonly HashSet<string> ShapeOps = new(StringComparer.Ordinal) { "Constant", "ConstantOfShape", "Shape", "Size" };

    /// <summary>Tensor names as given; node names become their first output. Sorted into topological order.</summary>
    private static string[] Resolve(OnnxGraph graph, IReadOnlyList<string> requested, string path)
    {
        var order = new List<string>();
        var byNode = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            // Constants and shape arithmetic (integer tensors, never a layer) are not offered as layers.
            if (ShapeOps.Contains(node.OpType)) continue;
            order.AddRange(node.Outputs.Where(o => o.Length > 0));
            if (node.Name.Length > 0 && node.Outputs.Count > 0) byNode.TryAdd(node.Name, node.Outputs[0]);
        }
        var tensors = requested.Select(r => order.Contains(r) ? r : byNode.GetValueOrDefault(r, r)).ToList();
        var selected = NetworkSources.Select(tensors, order, path);
        return selected.OrderBy(order.IndexOf).ToArray();
    }

    private static string FirstLine(string message)
    {
        int nl = message.IndexOfAny(['\r', '\n']);
        return (nl >= 0 ? message[..nl] : message).Trim();
    }
}
