import LNAHooks

extension Model {
    /// Generates up to `maxTokens` new tokens after `prompt` with a KV cache: one batched prefill, then one
    /// token per step. Hooks see the prompt with phase `.prompt` and each new token with phase `.generated`.
    ///
    /// ```swift
    /// var sampler = Sampler()   // greedy
    /// let ids = try model.generate(prompt: model.tokenizer.encode("Bonjour"), maxTokens: 16, sampler: &sampler)
    /// ```
    public func generate(prompt: [Int], maxTokens: Int, sampler: inout Sampler, hooks: HookSet? = nil,
                         stopTokens: Set<Int> = [], onToken: ((Int) -> Bool)? = nil) throws -> [Int] {
        guard !prompt.isEmpty else { throw ModelError.emptyInput("the prompt has no tokens") }
        let cache = KVCache(config: config, capacity: prompt.count + maxTokens)
        var result = try forward(TokenBatch(prompt), hooks: hooks, cache: cache, phase: .prompt,
                                 logits: .lastOfEachSequence)
        var generated: [Int] = []
        var history = prompt
        while generated.count < maxTokens {
            let next = result.logits.withUnsafeBufferPointer { sampler.next(logits: $0, previous: history) }
            generated.append(next)
            history.append(next)
            if stopTokens.contains(next) || onToken?(next) == false || generated.count == maxTokens { break }
            result = try forward(TokenBatch([next]), hooks: hooks, cache: cache, phase: .generated,
                                 logits: .lastOfEachSequence)
        }
        return generated
    }
}
