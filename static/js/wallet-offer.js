// The wallet offer page (templates/wallets/offer.html): counts down to the end of the offer and polls its state,
// so that "Deliver to wallet …?" appears as soon as a wallet asks, without a reload. Any other change (approved,
// delivered, refused, expired, another wallet asking) reloads the page, which then says it in full. Served from
// static/ (the CSP allows no inline script); without JavaScript the page shows "Valid until" and a refresh link.
(() => {
  const offer = document.getElementById("wallet-offer");
  if (!offer) return;
  const POLL_MS = 2000;
  const countdown = document.getElementById("offer-countdown");
  // From the server's seconds left, not the server's clock: the phone's or laptop's clock may be wrong.
  let deadline = performance.now() + Number(offer.dataset.secondsLeft) * 1000;
  let shown = offer.dataset.state;

  const tick = () => {
    const left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
    countdown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  };
  const localTime = new Date(Date.now() + Number(offer.dataset.secondsLeft) * 1000);
  document.getElementById("offer-valid-until").textContent = localTime.toLocaleTimeString(
    document.documentElement.lang || [], { hour: "2-digit", minute: "2-digit" },
  );
  document.getElementById("offer-time-left").hidden = false;
  tick();
  const ticking = setInterval(tick, 1000);

  const showApproval = (holder) => {
    document.getElementById("approval-holder").textContent = holder;
    document.getElementById("approval-holder-input").value = holder;
    document.getElementById("approval").hidden = false;
    document.getElementById("offer-status").textContent = document.getElementById("approval-heading").textContent;
  };
  const poll = async () => {
    let answer;
    try {
      const response = await fetch(offer.dataset.stateUrl, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) return;
      answer = await response.json();
    } catch {
      return; // offline for a moment, or signed out: the next poll tries again
    }
    deadline = performance.now() + answer.seconds_left * 1000;
    const sameAttempts = String(answer.other_attempts) === offer.dataset.otherAttempts;
    if (answer.state === shown && sameAttempts) return;
    if (answer.state === "pending" && shown === "open" && sameAttempts) {
      shown = "pending";
      showApproval(answer.holder);
      return;
    }
    clearInterval(ticking);
    clearInterval(polling);
    window.location.reload();
  };
  const polling = setInterval(poll, POLL_MS);
})();
