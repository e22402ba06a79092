/**
 * A chat with the travel agent, on `@ai-sdk/react`'s `useChat` as it comes: the server
 * (server.ts) speaks the AI SDK's UI message stream, so nothing here knows about rxjs-agents.
 * Text streams in, tool calls show their state, a call that needs approval shows Approve / Reject,
 * and Stop ends the answer (and, on the server, the run and its model call).
 */
import { useChat } from '@ai-sdk/react';
import {
  DefaultChatTransport,
  getToolName,
  isToolUIPart,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  type DynamicToolUIPart,
  type ToolUIPart,
} from 'ai';
import { useState, type FormEvent } from 'react';

const transport = new DefaultChatTransport({ api: '/api/chat' });

export function App() {
  const { messages, sendMessage, stop, status, error, addToolApprovalResponse } = useChat({
    transport,
    // Once every approval asked for is answered, send the conversation again: the server resumes the run.
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
  });
  const [input, setInput] = useState('');
  const busy = status === 'submitted' || status === 'streaming';

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (input.trim() === '' || busy) return;
    void sendMessage({ text: input });
    setInput('');
  };

  return (
    <main>
      <h1>Travel chat</h1>
      <ol id="messages">
        {messages.map((message) => (
          <li key={message.id} className={`message ${message.role}`}>
            {message.parts.map((part, index) => {
              if (part.type === 'text')
                return (
                  <p key={index} className="text">
                    {part.text}
                  </p>
                );
              if (isToolUIPart(part)) {
                const answer = (approved: boolean) => {
                  if (part.state === 'approval-requested')
                    void addToolApprovalResponse({ id: part.approval.id, approved });
                };
                return <ToolCall key={index} part={part} answer={answer} />;
              }
              return null;
            })}
          </li>
        ))}
      </ol>
      {error && <p id="error">{error.message}</p>}
      <form onSubmit={send}>
        <input
          id="question"
          value={input}
          onChange={(event) => setInput(event.target.value)}
          placeholder="Where should I go in May?"
        />
        {busy ? (
          <button id="stop" type="button" onClick={() => void stop()}>
            Stop
          </button>
        ) : (
          <button type="submit" disabled={input.trim() === ''}>
            Send
          </button>
        )}
      </form>
      <p id="status">{status}</p>
    </main>
  );
}

/** A tool call: its name and arguments, its state, and what it returned (or the approval buttons). */
function ToolCall({ part, answer }: { part: ToolUIPart | DynamicToolUIPart; answer: (approved: boolean) => void }) {
  return (
    <div className="tool" data-state={part.state}>
      <code>
        {getToolName(part)}({JSON.stringify(part.input)})
      </code>
      <span className="state">{part.state}</span>
      {part.state === 'approval-requested' && (
        <span className="approval">
          <button className="approve" onClick={() => answer(true)}>
            Approve
          </button>
          <button className="reject" onClick={() => answer(false)}>
            Reject
          </button>
        </span>
      )}
      {part.state === 'output-available' && <pre className="output">{JSON.stringify(part.output, null, 2)}</pre>}
      {part.state === 'output-error' && <p className="output">{part.errorText}</p>}
      {part.state === 'output-denied' && <p className="output">Rejected.</p>}
    </div>
  );
}
